import type { Survey } from '../api/client.ts'

// Placeholder while the view is written.
export function ResponsesView({ survey }: { survey: Survey }) {
  return <p>responses of {survey.name}</p>
}
