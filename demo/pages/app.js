// A single-page app in a few lines: links change the route with history.pushState, never a page load,
// which is how the widget meets most modern sites. The demo survey excludes /app/billing*, so the card
// steps aside when the visitor goes to billing.
const views = {
  '/app': [
    'Inbox',
    'Three notes need your attention. Move between sections: the URL changes without a reload.',
  ],
  '/app/reports': ['Reports', 'You wrote 42 notes this month. The survey card may appear here.'],
  '/app/billing': [
    'Billing',
    'The demo survey lists /app/billing* in display.urlExclude, so the card never shows here and hides if it was open.',
  ],
}

function render() {
  const [title, text] = views[location.pathname] ?? ['Not found', 'No such section.']
  const view = document.getElementById('view')
  view.replaceChildren()
  const h1 = document.createElement('h1')
  h1.textContent = title
  const p = document.createElement('p')
  p.textContent = text
  view.append(h1, p)
  document.title = `Acme Notes — ${title}`
  for (const link of document.querySelectorAll('a[data-route]')) {
    if (link.getAttribute('href') === location.pathname) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
}

document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-route]') : null
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return
  event.preventDefault()
  history.pushState({}, '', link.getAttribute('href'))
  render()
})
addEventListener('popstate', render)
render()
