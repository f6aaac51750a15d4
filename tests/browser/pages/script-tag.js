// Classic script: window.signalkit comes from dist/signalkit.global.js (the .wasm inlined).
(function () {
  var out = document.getElementById('result');
  window.signalkit.loadEngine().then(function (engine) {
    var v = engine.validate('saber.template.create', { name: 'Size', question: 'How big?', answerType: 'number', qualificationCriteria: { ranges: [{ rangeStart: 10, rangeEnd: 5, answerQualification: 'good' }] } });
    var c = engine.checkCriteria('number', { ranges: [{ rangeStart: 10, rangeEnd: 5, answerQualification: 'good' }] });
    var m = engine.compileMatcher([{ label: 'Hiring', enabled: true, sources: null, keywords: ['now hiring'], disqualifiers: [] }]);
    var hit = m.match({ text: 'We are NOW   hiring!' });
    m.close();
    out.textContent = JSON.stringify({
      validate: v.issues.map(function (i) { return i.field + ':' + i.code; }),
      criteria: c.issues.map(function (i) { return i.field + ':' + i.code; }),
      match: hit.types.map(function (t) { return t.label + ':' + t.keywords[0].start + '-' + t.keywords[0].end; }),
      clients: typeof window.signalkit.PuffleClient === 'function' && typeof window.signalkit.SaberClient === 'function',
    });
    out.setAttribute('data-state', 'done');
  }, function (err) {
    out.textContent = 'error: ' + err.message;
    out.setAttribute('data-state', 'error');
  });
}());
