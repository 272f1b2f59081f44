import type { Survey } from '../api/client.ts'

// Placeholder while the view is written.
export function SettingsView({ survey }: { survey: Survey; onSaved(): void }) {
  return <p>settings of {survey.name}</p>
}
