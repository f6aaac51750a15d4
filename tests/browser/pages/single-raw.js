// dist/signalkit.single.js alone: the emscripten factory as the global createSignalkit.
(function () {
  var out = document.getElementById('result');
  window.createSignalkit().then(function (Module) {
    // The raw boundary: kinds() writes its JSON to the result buffer (docs/boundary.md).
    Module.kinds();
    var kinds = JSON.parse(new TextDecoder().decode(Module.resultText()));
    out.textContent = JSON.stringify({ kinds: kinds.length });
    out.setAttribute('data-state', 'done');
  }, function (err) {
    out.textContent = 'error: ' + err.message;
    out.setAttribute('data-state', 'error');
  });
}());
