// dist/signalkit.single.js alone: the emscripten factory as the global createSignalkit.
(function () {
  var out = document.getElementById('result');
  window.createSignalkit().then(function (Module) {
    out.textContent = JSON.stringify({ kinds: JSON.parse(Module.kinds()).length });
    out.setAttribute('data-state', 'done');
  }, function (err) {
    out.textContent = 'error: ' + err.message;
    out.setAttribute('data-state', 'error');
  });
}());
