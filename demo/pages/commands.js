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
