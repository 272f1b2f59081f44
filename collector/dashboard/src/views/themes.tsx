import type { Survey } from '../api/client.ts'

// Placeholder while the view is written.
export function ThemesView({ survey }: { survey: Survey }) {
  return <p>themes of {survey.name}</p>
}
