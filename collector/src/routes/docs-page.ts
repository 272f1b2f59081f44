/**
 * `/docs`: one HTML page with its own small renderer for `/openapi.json` (operations grouped by tag,
 * parameters, bodies and answers, then every schema). Nothing loads from elsewhere.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>npskit collector API</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem; color: #1f2328; }
  h1 { margin-bottom: .25rem } h2 { margin-top: 2rem; border-bottom: 1px solid #d0d7de; text-transform: capitalize }
  details { border: 1px solid #d0d7de; border-radius: 6px; margin: .4rem 0; padding: .3rem .6rem }
  summary { cursor: pointer } code, pre { font: 13px ui-monospace, monospace }
  pre { background: #f6f8fa; padding: .6rem; overflow: auto; border-radius: 6px }
  .m { display: inline-block; min-width: 4.2rem; font-weight: 700; text-transform: uppercase; font-family: ui-monospace, monospace }
  .get { color: #0969da } .post { color: #1a7f37 } .patch { color: #9a6700 } .delete { color: #cf222e }
  table { border-collapse: collapse } td, th { text-align: left; padding: .1rem .8rem .1rem 0; vertical-align: top }
</style>
</head>
<body>
<h1>npskit collector API</h1>
<p id="intro">Loading <a href="/openapi.json">/openapi.json</a>…</p>
<main id="api"></main>
<script>
(async () => {
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const spec = await (await fetch('/openapi.json')).json();
  document.getElementById('intro').innerHTML = esc(spec.info.description) + ' Admin routes need <code>Authorization: Bearer &lt;key&gt;</code>.';
  const groups = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) (groups[op.tags[0]] ??= []).push({ path, method, op });
  }
  const schemaOf = (content) => Object.entries(content || {}).map(([type, c]) =>
    '<p><code>' + esc(type) + '</code></p><pre>' + esc(JSON.stringify(c.schema, null, 2)) + '</pre>').join('');
  let html = '';
  for (const [tag, ops] of Object.entries(groups)) {
    html += '<h2>' + esc(tag) + '</h2>';
    for (const { path, method, op } of ops) {
      html += '<details><summary><span class="m ' + method + '">' + method + '</span> <code>' + esc(path) + '</code> — ' + esc(op.summary) + '</summary>';
      if (op.parameters) html += '<table>' + op.parameters.map((p) => '<tr><td><code>' + esc(p.name) + '</code></td><td>' + p.in + '</td><td>' + esc(p.description || '') + '</td></tr>').join('') + '</table>';
      if (op.requestBody) html += '<h4>Body</h4>' + schemaOf(op.requestBody.content);
      html += '<h4>Answers</h4><table>' + Object.entries(op.responses).map(([s, r]) => '<tr><td>' + s + '</td><td>' + esc(r.description) + '</td></tr>').join('') + '</table>';
      html += '</details>';
    }
  }
  html += '<h2>Schemas</h2>';
  for (const [name, schema] of Object.entries(spec.components.schemas)) {
    html += '<details id="' + esc(name) + '"><summary><code>' + esc(name) + '</code></summary><pre>' + esc(JSON.stringify(schema, null, 2)) + '</pre></details>';
  }
  document.getElementById('api').innerHTML = html;
})().catch((e) => { document.getElementById('intro').textContent = 'Could not load /openapi.json: ' + e; });
</script>
</body>
</html>
`
