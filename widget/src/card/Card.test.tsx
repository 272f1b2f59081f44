import { cleanup, fireEvent, render, screen } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { widgetConfig } from '../test/fakes.ts'
import { Card } from './Card.tsx'

function renderCard(locale = 'en', change: Parameters<typeof widgetConfig>[1] = {}, identified = false) {
  const calls = { onScore: vi.fn(), onFollowUp: vi.fn(), onDismiss: vi.fn(), onClose: vi.fn() }
  const config = widgetConfig(locale, change)
  const view = render(<Card config={config} identified={identified} {...calls} thanksMs={3000} />)
  const radio = (n: number) =>
    view.container.querySelector(`input[name="score"][value="${n}"]`) as HTMLInputElement
  return { ...calls, ...view, config, radio }
}

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('the card', () => {
  it('asks the question with eleven labelled scores in a radiogroup and both ends of the scale', () => {
    renderCard()
    const group = screen.getByRole('radiogroup', {
      name: 'How likely are you to recommend us to a friend or colleague?',
    })
    const radios = screen.getAllByRole('radio')
    expect(radios.map((r) => (r as HTMLInputElement).value)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
    ])
    expect(group.contains(radios[0] as Node)).toBe(true)
    expect(screen.getByRole('radio', { name: '0 out of 10, Not at all likely' })).toBeTruthy()
    expect(screen.getByRole('radio', { name: '10 out of 10, Extremely likely' })).toBeTruthy()
    expect(screen.getByText('Not at all likely')).toBeTruthy()
    expect(screen.getByText('Extremely likely')).toBeTruthy()
  })

  it("uses the survey's own question over the default", () => {
    renderCard('en', { question: 'Would you recommend Acme Notes?' })
    expect(screen.getByRole('radiogroup', { name: 'Would you recommend Acme Notes?' })).toBeTruthy()
  })

  it('walks through score, follow-up, comment and thanks, then closes by itself', () => {
    const c = renderCard()
    fireEvent.click(c.radio(9))
    expect(c.onScore).toHaveBeenCalledWith(9)
    const field = screen.getByRole('textbox', { name: 'What do you like most about us?' })
    expect(document.activeElement).toBe(field)
    fireEvent.input(field, { target: { value: '  The sync is fast  ' } })
    vi.useFakeTimers()
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    expect(c.onFollowUp).toHaveBeenCalledWith({ comment: 'The sync is fast' })
    expect(screen.getByRole('status').textContent).toBe('Thank you for your feedback!')
    expect(c.onClose).not.toHaveBeenCalled()
    vi.advanceTimersByTime(3000)
    expect(c.onClose).toHaveBeenCalledOnce()
    expect(c.onDismiss).not.toHaveBeenCalled()
  })

  it('skips the follow-up without sending an empty comment', () => {
    const c = renderCard()
    fireEvent.click(c.radio(4))
    fireEvent.click(screen.getByRole('button', { name: 'Skip' }))
    expect(c.onFollowUp).not.toHaveBeenCalled()
    expect(screen.getByRole('status').textContent).toBe('Thank you for your feedback!')
  })

  it.each([
    [0, 'What disappointed you, and what should we fix first?'],
    [6, 'What disappointed you, and what should we fix first?'],
    [7, 'What would make us a 10 for you?'],
    [8, 'What would make us a 10 for you?'],
    [9, 'What do you like most about us?'],
    [10, 'What do you like most about us?'],
  ])('after a %i asks the follow-up for its category', (score, prompt) => {
    const c = renderCard()
    fireEvent.click(c.radio(score))
    expect(screen.getByRole('textbox', { name: prompt })).toBeTruthy()
  })

  it('asks the follow-up in the visitor language', () => {
    const c = renderCard('de')
    fireEvent.click(c.radio(3))
    expect(screen.getByRole('textbox', { name: /enttäuscht/ })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Senden' })).toBeTruthy()
  })
})

describe('changing the score on the follow-up', () => {
  it('keeps the question, stepped back, and the scale on the follow-up with the chosen score lit', () => {
    const c = renderCard()
    fireEvent.click(c.radio(3))
    const group = screen.getByRole('radiogroup', { name: c.config.strings.question })
    expect(group.querySelectorAll('input')).toHaveLength(11)
    expect(c.radio(3).checked).toBe(true)
    expect(screen.getByText(c.config.strings.question).className).toBe('q sub')
  })

  it('reports a changed score, asks the new category’s prompt and keeps the comment typed so far', () => {
    const c = renderCard()
    fireEvent.click(c.radio(3))
    const field = screen.getByRole('textbox', { name: /disappointed/ }) as HTMLTextAreaElement
    fireEvent.input(field, { target: { value: 'Sync is slow' } })
    fireEvent.click(c.radio(9))
    expect(c.onScore.mock.calls).toEqual([[3], [9]])
    expect(c.radio(9).checked).toBe(true)
    expect(screen.getByRole('textbox', { name: 'What do you like most about us?' })).toBe(field)
    expect(field.value).toBe('Sync is slow')
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    expect(c.onFollowUp).toHaveBeenCalledExactlyOnceWith({ comment: 'Sync is slow' })
  })

  it('changes it with the keyboard as it chose it: arrows move, Enter chooses', () => {
    const c = renderCard()
    fireEvent.keyDown(c.radio(8), { key: 'Enter' })
    fireEvent.keyDown(c.radio(8), { key: 'ArrowLeft' })
    expect(c.onScore.mock.calls).toEqual([[8]])
    fireEvent.keyDown(c.radio(7), { key: 'ArrowLeft' })
    fireEvent.keyDown(c.radio(6), { key: 'Enter' })
    expect(c.onScore.mock.calls).toEqual([[8], [6]])
    expect(screen.getByRole('textbox', { name: /disappointed/ })).toBeTruthy()
  })

  it('lights the score that counts again when the visitor arrows away from it and leaves the scale', () => {
    const c = renderCard()
    fireEvent.keyDown(c.radio(8), { key: 'Enter' })
    c.radio(8).focus()
    fireEvent.keyDown(c.radio(8), { key: 'ArrowLeft' })
    expect(c.radio(7).checked).toBe(true)
    fireEvent.focusOut(c.radio(7), { relatedTarget: screen.getByRole('textbox') })
    expect(c.radio(8).checked).toBe(true)
    expect(c.onScore.mock.calls).toEqual([[8]])
  })

  it('does not report the same score twice', () => {
    const c = renderCard()
    fireEvent.click(c.radio(7))
    fireEvent.keyDown(c.radio(7), { key: ' ' })
    expect(c.onScore).toHaveBeenCalledOnce()
  })
})

describe('the thank-you step', () => {
  const answer = (c: ReturnType<typeof renderCard>, score: number) => {
    fireEvent.click(c.radio(score))
    fireEvent.click(screen.getByRole('button', { name: c.config.strings.skip }))
  }

  it('offers the survey’s link to everyone, focused, and stays until it is followed', () => {
    const c = renderCard('en', {
      thanks: { action: 'link', url: 'https://acme.example/changelog', label: 'See what’s new' },
    })
    vi.useFakeTimers()
    answer(c, 4)
    const link = screen.getByRole('link', { name: 'See what’s new' }) as HTMLAnchorElement
    expect(link.href).toBe('https://acme.example/changelog')
    expect(link.target).toBe('_blank')
    expect(link.rel).toBe('noopener noreferrer')
    expect(document.activeElement).toBe(link)
    vi.advanceTimersByTime(60_000)
    expect(c.onClose).not.toHaveBeenCalled()
    // The test's DOM would fetch the page; a browser opens a tab.
    link.addEventListener('click', (e) => e.preventDefault())
    fireEvent.click(link)
    vi.advanceTimersByTime(1)
    expect(c.onClose).toHaveBeenCalledOnce()
  })

  it('asks promoters to tell others on the review site, in their language', () => {
    const c = renderCard('fr', { thanks: { action: 'review', url: 'https://g2.example/acme', site: 'G2' } })
    answer(c, 10)
    // With the no-break space French puts before its question mark.
    expect(c.container.querySelector('.more')?.textContent).toBe('En parleriez-vous à d’autres sur G2\u00a0?')
    expect(screen.getByRole('link', { name: 'Laisser un avis' }).getAttribute('href')).toBe(
      'https://g2.example/acme',
    )
  })

  it.each([
    'javascript:alert(1)',
    ' JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    '//evil.example/',
  ])('renders no link for %j, only the plain thank-you that closes by itself', (url) => {
    const c = renderCard('en', { thanks: { action: 'link', url, label: 'Go' } })
    vi.useFakeTimers()
    answer(c, 10)
    expect(screen.getByText('Thank you for your feedback!')).toBeTruthy()
    expect(c.container.querySelector('a')).toBeNull()
    vi.advanceTimersByTime(3000)
    expect(c.onClose).toHaveBeenCalledOnce()
  })

  it('renders a promoter’s review link only when it is http(s)', () => {
    const c = renderCard('en', { thanks: { action: 'review', url: 'javascript:alert(1)', site: 'G2' } })
    answer(c, 10)
    expect(c.container.querySelector('a')).toBeNull()
    expect(screen.queryByText(/Would you tell others/)).toBeNull()
    cleanup()
    const d = renderCard('en', { thanks: { action: 'review', url: 'HTTP://g2.example/acme', site: 'G2' } })
    answer(d, 10)
    expect(screen.getByRole('link', { name: 'Write a review' }).getAttribute('href')).toBe(
      'HTTP://g2.example/acme',
    )
  })

  it.each([0, 6, 8])('gives a %i the plain thank-you, which closes by itself', (score) => {
    const c = renderCard('en', { thanks: { action: 'review', url: 'https://g2.example/acme', site: 'G2' } })
    vi.useFakeTimers()
    answer(c, score)
    expect(screen.queryByRole('link')).toBeNull()
    expect(screen.queryByText(/Would you tell others/)).toBeNull()
    vi.advanceTimersByTime(3000)
    expect(c.onClose).toHaveBeenCalledOnce()
  })
})

describe('asking for consent to be contacted', () => {
  const checkbox = () => screen.queryByRole('checkbox', { name: 'May we contact you about this?' })
  const emailField = () => screen.queryByRole('textbox', { name: 'Your email address' })
  const tick = () => fireEvent.click(checkbox() as HTMLElement)

  it('asks nothing of the kind when the survey does not ask', () => {
    const c = renderCard()
    fireEvent.click(c.radio(2))
    expect(screen.queryByRole('checkbox')).toBeNull()
    expect(emailField()).toBeNull()
  })

  it('asks on the follow-up step only, with a checkbox that starts unticked', () => {
    const c = renderCard('en', { askContact: true })
    expect(checkbox()).toBeNull()
    fireEvent.click(c.radio(2))
    expect((checkbox() as HTMLInputElement).checked).toBe(false)
    // Nothing to fill in until the visitor says yes.
    expect(emailField()).toBeNull()
  })

  it('asks an unidentified visitor for an address once ticked, and sends it with the comment', () => {
    const c = renderCard('en', { askContact: true })
    fireEvent.click(c.radio(2))
    fireEvent.input(screen.getByRole('textbox', { name: /disappointed/ }), { target: { value: 'Slow' } })
    tick()
    const field = emailField() as HTMLInputElement
    expect(field.type).toBe('email')
    expect(field.required).toBe(true)
    expect(field.autocomplete).toBe('email')
    expect(field.placeholder).toBe('Your email address')
    fireEvent.input(field, { target: { value: ' ana@example.com ' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    expect(c.onFollowUp).toHaveBeenCalledExactlyOnceWith({
      comment: 'Slow',
      contact: { email: 'ana@example.com' },
    })
  })

  it('asks an identified visitor for no address, and sends the consent on its own', () => {
    const c = renderCard('en', { askContact: true }, true)
    fireEvent.click(c.radio(10))
    tick()
    expect(emailField()).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    expect(c.onFollowUp).toHaveBeenCalledExactlyOnceWith({ contact: {} })
  })

  it('takes the address back out when the box is unticked again, and sends no consent', () => {
    const c = renderCard('en', { askContact: true })
    fireEvent.click(c.radio(5))
    tick()
    fireEvent.input(emailField() as HTMLElement, { target: { value: 'ana@example.com' } })
    tick()
    expect(emailField()).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    expect(c.onFollowUp).not.toHaveBeenCalled()
  })

  it('does not send while the ticked box has no address or one that is not one, by the form’s own validation', () => {
    const c = renderCard('en', { askContact: true })
    fireEvent.click(c.radio(3))
    tick()
    const send = () => fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    send()
    fireEvent.input(emailField() as HTMLElement, { target: { value: 'ana at example' } })
    send()
    // Ctrl+Enter in the comment goes through the same validation.
    fireEvent.keyDown(screen.getByRole('textbox', { name: /disappointed/ }), { key: 'Enter', ctrlKey: true })
    expect(c.onFollowUp).not.toHaveBeenCalled()
    expect(screen.getByRole('status').textContent).toBe('')
    fireEvent.input(emailField() as HTMLElement, { target: { value: 'ana@example.com' } })
    send()
    expect(c.onFollowUp).toHaveBeenCalledExactlyOnceWith({ contact: { email: 'ana@example.com' } })
  })

  it('leaves the consent out of a skip whose address is not one, keeping the comment', () => {
    const c = renderCard('en', { askContact: true })
    fireEvent.click(c.radio(7))
    fireEvent.input(screen.getByRole('textbox', { name: /10 for you/ }), { target: { value: 'Price' } })
    tick()
    fireEvent.input(emailField() as HTMLElement, { target: { value: 'ana at example' } })
    fireEvent.click(screen.getByRole('button', { name: 'Skip' }))
    expect(c.onFollowUp).toHaveBeenCalledExactlyOnceWith({ comment: 'Price' })
  })

  it('keeps the reading and focus order: the scale, comment, checkbox, address, Skip, Send', () => {
    const c = renderCard('en', { askContact: true })
    fireEvent.click(c.radio(1))
    tick()
    // No element has a tabindex, so the document order is the Tab order; a radio group is one stop.
    expect(c.container.querySelector('[tabindex]')).toBeNull()
    const order = [...c.container.querySelectorAll('button, textarea, input')]
      .map((el) =>
        el instanceof HTMLButtonElement
          ? el.textContent || el.getAttribute('aria-label')
          : (el as HTMLInputElement).type,
      )
      .filter((name, i, all) => name !== 'radio' || all[i - 1] !== 'radio')
    expect(order).toEqual(['Close', 'radio', 'textarea', 'checkbox', 'email', 'Skip', 'Send'])
  })

  it('asks in the visitor’s language, right to left where it is written so', () => {
    const c = renderCard('ar', { askContact: true })
    fireEvent.click(c.radio(1))
    expect(screen.getByRole('checkbox', { name: 'هل يمكننا التواصل معك بشأن هذا؟' })).toBeTruthy()
    fireEvent.click(screen.getByRole('checkbox'))
    expect(screen.getByRole('textbox', { name: 'بريدك الإلكتروني' })).toBeTruthy()
    expect(screen.getByRole('dialog').getAttribute('dir')).toBe('rtl')
  })
})

describe('the card with a keyboard', () => {
  it('moves through the scale with the arrow keys without choosing, and chooses with Enter', () => {
    const c = renderCard()
    c.radio(0).focus()
    fireEvent.keyDown(c.radio(0), { key: 'ArrowRight' })
    fireEvent.keyDown(c.radio(1), { key: 'ArrowRight' })
    fireEvent.keyDown(c.radio(2), { key: 'ArrowDown' })
    fireEvent.keyDown(c.radio(3), { key: 'ArrowLeft' })
    expect(document.activeElement).toBe(c.radio(2))
    expect(c.radio(2).checked).toBe(true)
    expect(c.onScore).not.toHaveBeenCalled()
    fireEvent.keyDown(c.radio(2), { key: 'Enter' })
    expect(c.onScore).toHaveBeenCalledWith(2)
  })

  it('jumps to the ends with Home and End, stops at them, and chooses with Space', () => {
    const c = renderCard()
    c.radio(5).focus()
    fireEvent.keyDown(c.radio(5), { key: 'End' })
    fireEvent.keyDown(c.radio(10), { key: 'ArrowRight' })
    expect(document.activeElement).toBe(c.radio(10))
    fireEvent.keyDown(c.radio(10), { key: 'Home' })
    fireEvent.keyDown(c.radio(0), { key: 'ArrowUp' })
    expect(document.activeElement).toBe(c.radio(0))
    fireEvent.keyDown(c.radio(0), { key: ' ' })
    expect(c.onScore).toHaveBeenCalledWith(0)
  })

  it('dismisses with Escape before a score', () => {
    const c = renderCard()
    fireEvent.keyDown(c.radio(3), { key: 'Escape' })
    expect(c.onDismiss).toHaveBeenCalledOnce()
    expect(c.onClose).toHaveBeenCalledOnce()
  })

  it('sends the comment with Ctrl+Enter', () => {
    const c = renderCard()
    fireEvent.keyDown(c.radio(8), { key: 'Enter' })
    const field = screen.getByRole('textbox')
    fireEvent.input(field, { target: { value: 'More themes' } })
    fireEvent.keyDown(field, { key: 'Enter', ctrlKey: true })
    expect(c.onFollowUp).toHaveBeenCalledWith({ comment: 'More themes' })
  })
})

describe('closing the card', () => {
  it('counts the close button before a score as a dismissal', () => {
    const c = renderCard()
    fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(c.onDismiss).toHaveBeenCalledOnce()
    expect(c.onClose).toHaveBeenCalledOnce()
  })

  it('does not count a close after a score as a dismissal: the answer stands', () => {
    const c = renderCard()
    fireEvent.click(c.radio(10))
    fireEvent.keyDown(screen.getByRole('textbox'), { key: 'Escape' })
    expect(c.onDismiss).not.toHaveBeenCalled()
    expect(c.onClose).toHaveBeenCalledOnce()
  })

  it('names the close button in the visitor language', () => {
    renderCard('fr')
    expect(screen.getByRole('button', { name: 'Fermer' })).toBeTruthy()
  })
})

describe('right-to-left languages', () => {
  it.each(['ar', 'he'])('renders %s right to left with its own texts', (locale) => {
    const c = renderCard(locale)
    const dialog = screen.getByRole('dialog')
    expect(dialog.getAttribute('dir')).toBe('rtl')
    expect(dialog.getAttribute('lang')).toBe(locale)
    expect(screen.getByRole('radiogroup', { name: c.config.strings.question })).toBeTruthy()
  })

  it('moves forward on the scale with ArrowLeft, the way the scale runs', () => {
    const c = renderCard('ar')
    c.radio(4).focus()
    fireEvent.keyDown(c.radio(4), { key: 'ArrowLeft' })
    expect(document.activeElement).toBe(c.radio(5))
    fireEvent.keyDown(c.radio(5), { key: 'ArrowRight' })
    fireEvent.keyDown(c.radio(4), { key: 'ArrowRight' })
    expect(document.activeElement).toBe(c.radio(3))
  })
})
