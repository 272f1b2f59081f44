import { cleanup, fireEvent, render, screen } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { widgetConfig } from '../test/fakes.ts'
import { Card } from './Card.tsx'

function renderCard(locale = 'en', change: Parameters<typeof widgetConfig>[1] = {}) {
  const calls = { onScore: vi.fn(), onComment: vi.fn(), onDismiss: vi.fn(), onClose: vi.fn() }
  const config = widgetConfig(locale, change)
  const view = render(<Card config={config} {...calls} thanksMs={3000} />)
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
    expect(c.onComment).toHaveBeenCalledWith('The sync is fast')
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
    expect(c.onComment).not.toHaveBeenCalled()
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
    expect(c.onComment).toHaveBeenCalledWith('More themes')
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
