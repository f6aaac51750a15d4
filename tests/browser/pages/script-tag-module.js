// Classic script: loadEngine's options in dist/signalkit.global.js. Misspelt and
// inapplicable options are refused at once (TypeError); a compiled module of the package's
// signalkit.wasm is used as given (no other .wasm is read: the page fetches it once itself).
(function () {
  var out = document.getElementById('result');
  function refusal(options) {
    try {
      window.signalkit.loadEngine(options);
      return 'accepted';
    } catch (err) {
      return err.name + ': ' + err.message;
    }
  }
  var refused = {
    misspelt: refusal({ wasmModul: null }),
    locateFile: refusal({ locateFile: function (name) { return '/dist/' + name; } }),
    notAModule: refusal({ wasmModule: new Uint8Array(8) }),
  };
  fetch('/dist/signalkit.wasm').then(function (res) { return res.arrayBuffer(); })
    .then(function (bytes) { return WebAssembly.compile(bytes); })
    .then(function (wasmModule) { return window.signalkit.loadEngine({ wasmModule: wasmModule }); })
    .then(function (engine) {
      var v = engine.validate('puffle.signalType.create', { name: '', keywords: [] });
      out.textContent = JSON.stringify({ refused: refused, issues: v.issues.map(function (i) { return i.field + ':' + i.code; }).slice(0, 2) });
      out.setAttribute('data-state', 'done');
    }, function (err) {
      out.textContent = 'error: ' + err.message;
      out.setAttribute('data-state', 'error');
    });
}());
