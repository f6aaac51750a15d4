// The widgets given types as a newer Puffle might answer them: a source id outside the
// request enum ('tiktok'), fields nobody documented, and optional fields left out. Nothing
// may break, and an edit must not drop the unknown source behind the user's back.
const out = document.getElementById('result');
try {
  await customElements.whenDefined('signalkit-type-editor');
  const layoffs = {
    id: '3c90c3cc-0d44-4b50-8888-8dd25736052a', label: 'Layoffs', description: '', kind: 'keyword', enabled: true,
    keywords: ['layoffs'], disqualifiers: [], config: null, config_schema: null, built_in: false,
    search_instructions: 'Find layoffs.', scoring_criteria: 'Bigger is better.', sources: ['news', 'tiktok'],
    created_by: 'someone new', // not documented
  };
  const editor = document.getElementById('editor');
  editor.type = layoffs;
  const untouched = await editor.validate();
  editor.shadowRoot.getElementById('f-description').value = 'Job cuts';
  const edited = await editor.validate();

  const preview = document.getElementById('preview');
  // A type restricted to the unknown source does not apply to news; an unrestricted one does.
  preview.types = [
    { ...layoffs, id: 't1', label: 'Only TikTok', sources: ['tiktok'] },
    { id: 't2', label: 'Anywhere', keywords: ['layoffs'], sources: null, extra_field: 1 },
  ];
  preview.text = 'Acme announced layoffs.';
  const status = () => preview.shadowRoot.getElementById('status')?.textContent ?? '';
  // Compiling the types waits for the engine: until then the preview has nothing to match.
  for (let i = 0; i < 500 && !/\d+ types? matched/.test(status()); i++) await new Promise((r) => setTimeout(r, 10));
  const matched = status();
  out.textContent = JSON.stringify({ untouched: untouched.body, edited: edited.body, valid: edited.valid, matched });
  out.dataset.state = 'done';
} catch (err) {
  out.textContent = `error: ${err.message}`;
  out.dataset.state = 'error';
}
