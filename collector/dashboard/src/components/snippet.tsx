/** The one tag a site owner pastes, with a copy button. */
import { CopyButton } from './copy-button.tsx'
import './snippet.css'

export function snippetFor(surveyId: string, origin = window.location.origin): string {
  return `<script async src="${origin}/nps.js" data-survey="${surveyId}"></script>`
}

export function Snippet({ surveyId }: { surveyId: string }) {
  const text = snippetFor(surveyId)
  return (
    <div class="snippet">
      <pre>
        <code>{text}</code>
      </pre>
      <CopyButton text={text} label="Copy snippet" />
    </div>
  )
}
