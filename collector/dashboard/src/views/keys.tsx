// Placeholder while the view is written.
export function KeysView() {
  return <p>keys</p>
}
