/** A button that copies a text, and says whether it could (a refused clipboard asks for a manual copy). */
import { useState } from 'preact/hooks'

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null)
  return (
    <>
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
        {label}
      </button>
      <span role="status" class="muted">
        {copied === 'yes' ? 'Copied.' : copied === 'no' ? 'Could not copy: select the text and copy it.' : ''}
      </span>
    </>
  )
}
