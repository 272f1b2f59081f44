/**
 * The card: the 0–10 question, the follow-up for the visitor's category, thank you. It only renders and
 * reports; the loader sends. Native radios keep it a real form for screen readers; the arrow keys are
 * handled here so that moving through the scale never submits a score by itself (browsers fire `change`,
 * even `click`, on arrow keys), while a click, a tap, Enter or Space chooses at once.
 *
 * The scale stays on the follow-up step with the chosen score lit: choosing another reports it again (the
 * loader sends it under the same response id, so it merges into the same answer) and the prompt follows
 * the new category. Between steps the card animates its height instead of jumping (none with reduced
 * motion). The thank-you may offer the survey's link, or to promoters its review link; then it stays
 * until the visitor closes it or follows the link.
 *
 * When the survey asks, the follow-up step also asks for consent to be contacted: a checkbox, and an
 * email field under it once ticked, unless the site identified the visitor. The field is a native
 * `type="email"`, required while the box is ticked, so Send cannot leave with an address the collector
 * would refuse (a refusal would lose the comment too).
 */
import { useSignal } from '@preact/signals'
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks'
import { categoryOf, type FollowUp, type WidgetConfig } from '../types.ts'

export interface CardProps {
  config: WidgetConfig
  /** The site identified the visitor: consent needs no address. */
  identified?: boolean | undefined
  onScore(score: number): void
  onFollowUp(answer: FollowUp): void
  onDismiss(): void
  onClose(): void
  /** How long the thank-you stays before the card closes by itself. */
  thanksMs?: number
}

const SCORES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]

export function Card({
  config,
  identified,
  onScore,
  onFollowUp,
  onDismiss,
  onClose,
  thanksMs = 3500,
}: CardProps) {
  const s = config.strings
  // A config from an older collector (the ESM entry may meet one) has no `contact`: it does not ask.
  const asks = config.contact?.ask === true
  const step = useSignal<'score' | 'comment' | 'thanks'>('score')
  const selected = useSignal<number | undefined>(undefined)
  const score = useSignal<number | undefined>(undefined)
  const comment = useSignal('')
  const consent = useSignal(false)
  const email = useSignal('')
  const mail = useRef<HTMLInputElement>(null)
  const group = useRef<HTMLDivElement>(null)
  const card = useRef<HTMLDivElement>(null)
  /** The card's height as the last step left it, to animate from. */
  const from = useRef(0)
  const current = step.value
  const cat = score.value === undefined ? undefined : categoryOf(score.value)
  const t = config.thanks
  // The review link is for promoters only; anyone else gets the plain thank-you. An href that is not
  // http(s) is never rendered, whatever a config says (the collector refuses one too).
  const link =
    (t?.action === 'link' || (t?.action === 'review' && cat === 'promoter')) && /^https?:/i.test(t.url)
      ? t
      : undefined

  useLayoutEffect(() => {
    const el = card.current
    const to = el?.offsetHeight
    if (!el?.animate || !from.current || !to || to === from.current) return
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) return
    el.animate([{ height: `${from.current}px` }, { height: `${to}px` }], {
      duration: 220,
      easing: 'cubic-bezier(.2,.8,.2,1)',
    })
  }, [current])

  useEffect(() => {
    // Focus goes where the conversation continues: the comment, then the thank-you's link if any.
    card.current?.querySelector<HTMLElement>(current === 'comment' ? 'textarea' : '.go')?.focus({
      preventScroll: true,
    })
    if (current === 'thanks' && !link) {
      const timer = setTimeout(onClose, thanksMs)
      return () => clearTimeout(timer)
    }
  }, [current])

  const go = (next: 'comment' | 'thanks') => {
    from.current = card.current?.offsetHeight ?? 0
    step.value = next
  }
  const close = () => {
    if (score.value === undefined) onDismiss()
    onClose()
  }
  const choose = (n: number) => {
    selected.value = n
    if (step.value === 'thanks' || score.value === n) return
    score.value = n
    onScore(n)
    if (step.value === 'score') go('comment')
  }
  const finish = (e?: Event) => {
    e?.preventDefault()
    const answer: FollowUp = {}
    const text = comment.value.trim().slice(0, 2000)
    if (text) answer.comment = text
    if (consent.value) {
      // Skip passes no form validation: an address that is not one (or none) leaves the consent out.
      const field = mail.current
      const address = field?.value.trim()
      if (!field) answer.contact = {}
      else if (address && field.checkValidity()) answer.contact = { email: address }
    }
    if (answer.comment || answer.contact) onFollowUp(answer)
    go('thanks')
  }
  const onScaleKey = (e: KeyboardEvent) => {
    const input = e.target as HTMLInputElement
    if (input.name !== 'score') return
    const at = Number(input.value)
    const forward = config.dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight'
    const back = config.dir === 'rtl' ? 'ArrowRight' : 'ArrowLeft'
    let next: number | undefined
    if (e.key === forward || e.key === 'ArrowDown') next = Math.min(10, at + 1)
    else if (e.key === back || e.key === 'ArrowUp') next = Math.max(0, at - 1)
    else if (e.key === 'Home') next = 0
    else if (e.key === 'End') next = 10
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      return choose(at)
    } else return
    e.preventDefault()
    selected.value = next
    group.current?.querySelectorAll('input')[next]?.focus()
  }
  const label = (n: number) =>
    s.scoreLabel.replace('{score}', String(n)) + (n === 0 ? `, ${s.low}` : n === 10 ? `, ${s.high}` : '')
  const asking = current === 'score'

  return (
    <div
      ref={card}
      class="card"
      role="dialog"
      aria-modal="false"
      aria-label={s.question}
      dir={config.dir}
      lang={config.locale}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return
        e.preventDefault()
        close()
      }}
    >
      <button type="button" class="x" aria-label={s.close} onClick={close}>
        <svg viewBox="0 0 16 16" aria-hidden="true">
          <path d="M4 4l8 8M12 4l-8 8" />
        </svg>
      </button>
      {current !== 'thanks' && (
        // On the follow-up the question steps back, and the same scale stays lit at the chosen score.
        <p class={asking ? 'q' : 'q sub'} id="npskit-q">
          {s.question}
        </p>
      )}
      {current !== 'thanks' && (
        <div
          class="scale"
          role="radiogroup"
          aria-labelledby="npskit-q"
          ref={group}
          onKeyDown={onScaleKey}
          // Arrows only move the light; leaving the scale shows the score that counts again.
          onFocusOut={(e) => {
            if (!group.current?.contains(e.relatedTarget as Node)) selected.value = score.value
          }}
        >
          {SCORES.map((n) => (
            <label key={n}>
              <input
                type="radio"
                name="score"
                value={n}
                checked={selected.value === n}
                aria-label={label(n)}
                onChange={() => choose(n)}
              />
              <span aria-hidden="true">{n}</span>
            </label>
          ))}
        </div>
      )}
      {asking && (
        <div class="ends" aria-hidden="true">
          <span>{s.low}</span>
          <span>{s.high}</span>
        </div>
      )}
      {current === 'comment' && cat && (
        <form class="step" onSubmit={finish}>
          <label class="q" for="npskit-c">
            {s.followUp[cat]}
          </label>
          <textarea
            id="npskit-c"
            rows={3}
            maxLength={2000}
            placeholder={s.placeholder}
            value={comment.value}
            onInput={(e) => {
              comment.value = (e.target as HTMLTextAreaElement).value
            }}
            onKeyDown={(e) => {
              if (!(e.metaKey || e.ctrlKey) || e.key !== 'Enter') return
              e.preventDefault()
              // As Send does: through the form's validation (Safari before 16 has no requestSubmit).
              const form = (e.currentTarget as HTMLTextAreaElement).form
              form?.requestSubmit ? form.requestSubmit() : finish()
            }}
          />
          {asks && (
            <label class="opt">
              <input
                type="checkbox"
                checked={consent.value}
                onChange={(e) => {
                  consent.value = (e.target as HTMLInputElement).checked
                }}
              />
              <span>{s.contact}</span>
            </label>
          )}
          {asks && consent.value && !identified && (
            <input
              ref={mail}
              type="email"
              class="mail"
              required
              maxLength={254}
              autocomplete="email"
              aria-label={s.email}
              placeholder={s.email}
              value={email.value}
              onInput={(e) => {
                email.value = (e.target as HTMLInputElement).value
              }}
            />
          )}
          <div class="actions">
            <button type="button" class="ghost" onClick={() => finish()}>
              {s.skip}
            </button>
            <button type="submit" class="send">
              {s.send}
            </button>
          </div>
        </form>
      )}
      <p role="status" class={current === 'thanks' ? 'thanks' : 'sr'}>
        {current === 'thanks' ? s.thanks : ''}
      </p>
      {current === 'thanks' && link && (
        <div class="step">
          {link.action === 'review' && <p class="more">{s.review.replace('{site}', link.site)}</p>}
          <a
            class="send go"
            href={link.url}
            target="_blank"
            rel="noopener noreferrer"
            // Closed a moment later: a link taken out of the page at once would not open.
            onClick={() => setTimeout(onClose)}
          >
            {link.action === 'review' ? s.reviewLink : link.label}
          </a>
        </div>
      )}
    </div>
  )
}
