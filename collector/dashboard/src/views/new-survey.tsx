// Placeholder while the view is written.
export function NewSurveyView() {
  return <p>new survey</p>
}
