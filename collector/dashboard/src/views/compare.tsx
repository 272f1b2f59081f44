import type { Survey } from '../api/client.ts'

// Placeholder while the view is written.
export function CompareView({ survey }: { survey: Survey }) {
  return <p>compare of {survey.name}</p>
}
