// Wires the buttons of the command-queue page to npskit(...) calls and logs what the widget reports.
const log = document.getElementById('log')
function write(line) {
  if (log.dataset.used !== 'yes') {
    log.textContent = ''
    log.dataset.used = 'yes'
  }
  const row = document.createElement('div')
  row.textContent = line
  log.append(row)
}
for (const event of ['shown', 'response', 'dismissed', 'closed']) {
  npskit('on', event, (detail) => write(`${event}: ${JSON.stringify(detail ?? {})}`))
}
document.getElementById('identify').addEventListener('click', () => {
  npskit('identify', 'user_ada', { plan: 'pro' })
  write("npskit('identify', 'user_ada', { plan: 'pro' })")
})
document.getElementById('open').addEventListener('click', () => {
  npskit('open')
  write("npskit('open')")
})

// A personal survey link and its email snippet, made by the demo's backend (POST /commands/link).
document.getElementById('link-form').addEventListener('submit', async (event) => {
  event.preventDefault()
  const error = document.getElementById('link-error')
  error.hidden = true
  const form = new FormData(event.currentTarget)
  const res = await fetch('/commands/link', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ respondentId: form.get('respondentId'), accountId: form.get('accountId') }),
  })
  const answer = await res.json()
  if (!res.ok) {
    error.textContent = `No link: ${answer.error}`
    error.hidden = false
    return
  }
  const url = document.getElementById('link-url')
  url.href = answer.url
  url.textContent = answer.url
  // Like a mail client: the message in its own frame, its links opening a new tab.
  document.getElementById('link-email').srcdoc =
    `<!doctype html><base target="_blank"><body style="margin:0;padding:12px;font-family:sans-serif"><p>Hi,</p>${answer.snippet}<p>Thanks, the Acme Notes team</p></body>`
  document.getElementById('link-html').textContent = answer.snippet
  document.getElementById('link-result').hidden = false
  write(`personal link made for ${form.get('respondentId')} (${form.get('accountId')})`)
})
