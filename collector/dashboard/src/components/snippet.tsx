/** The one tag a site owner pastes, with a copy button. */
import { useState } from 'preact/hooks'

export function snippetFor(surveyId: string, origin = window.location.origin): string {
  return `<script async src="${origin}/nps.js" data-survey="${surveyId}"></script>`
}

export function Snippet({ surveyId }: { surveyId: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null)
  const text = snippetFor(surveyId)
  return (
    <div class="snippet">
      <pre>
        <code>{text}</code>
      </pre>
      <button
        type="button"
        class="button"
        onClick={() =>
          navigator.clipboard.writeText(text).then(
            () => setCopied('yes'),
            () => setCopied('no'),
          )
        }
      >
        Copy snippet
      </button>
      <span role="status" class="muted">
        {copied === 'yes' ? 'Copied.' : copied === 'no' ? 'Could not copy: select the text and copy it.' : ''}
      </span>
    </div>
  )
}
