// dist/signalkit.single.js alone: the emscripten factory as the global createSignalkit.
(function () {
  var out = document.getElementById('result');
  window.createSignalkit().then(function (Module) {
    // The raw boundary: sk_kinds() writes its JSON to the result buffer (docs/boundary.md).
    var length = Module._sk_kinds();
    var at = Module._sk_result_data() >>> 0;
    var kinds = JSON.parse(new TextDecoder().decode(Module.HEAPU8.subarray(at, at + length)));
    out.textContent = JSON.stringify({ kinds: kinds.length });
    out.setAttribute('data-state', 'done');
  }, function (err) {
    out.textContent = 'error: ' + err.message;
    out.setAttribute('data-state', 'error');
  });
}());
