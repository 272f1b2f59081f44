import type { Survey } from '../api/client.ts'

// Placeholder while the view is written.
export function OverviewView({ survey }: { survey: Survey }) {
  return <p>overview of {survey.name}</p>
}
