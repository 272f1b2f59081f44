import type { Survey } from '../api/client.ts'

// Placeholder while the view is written.
export function BreakdownView({ survey }: { survey: Survey }) {
  return <p>breakdown of {survey.name}</p>
}
