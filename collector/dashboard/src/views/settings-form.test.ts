import { defaultSurveySettings, widgetConfigSchema } from '@npskit/shared'
import { describe, expect, it } from 'vitest'
import type { Survey } from '../api/client.ts'
import { ApiFailure } from '../api/client.ts'
import { placeIssues } from '../components/field.tsx'
import { FIELD_PATHS, formOf, patchOf, previewConfigOf } from './settings-form.ts'

const survey = (): Survey => ({
  ...defaultSurveySettings('Checkout NPS'),
  id: 'srv_test',
  allowedOrigins: ['https://shop.example'],
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
})

describe('the settings form', () => {
  it('sends nothing when nothing changed', () => {
    const base = survey()
    expect(patchOf(base, formOf(base))).toEqual({ patch: {}, changed: [], errors: {} })
  })

  it('sends only the changed keys of nested settings, which the API merges key by key', () => {
    const base = survey()
    const form = { ...formOf(base), accent: '#0f766e', detractor: 'What went wrong?', sampleRate: '0.25' }
    expect(patchOf(base, form)).toEqual({
      patch: {
        followUp: { detractor: 'What went wrong?' },
        display: { sampleRate: 0.25 },
        theme: { accent: '#0f766e' },
      },
      changed: ['followUp.detractor', 'display.sampleRate', 'theme.accent'],
      errors: {},
    })
  })

  it('sends null for an emptied text (the default in the visitor’s language), a removed target and undeclared keys', () => {
    const base: Survey = {
      ...survey(),
      question: 'Would you recommend us?',
      target: { nps: 40, deadline: '2027-06-30' },
      metadataKeys: ['plan'],
    }
    const form = { ...formOf(base), question: '   ', hasTarget: false, metadataKeys: '' }
    expect(patchOf(base, form).patch).toEqual({ question: null, target: null, metadataKeys: null })
  })

  it('sends a target whole, and lists, one item a line, without empty lines', () => {
    const base = survey()
    const form = {
      ...formOf(base),
      hasTarget: true,
      targetNps: '35',
      targetDeadline: '2027-03-31',
      allowedOrigins: 'https://shop.example\n\n  https://*.example.com  \n',
      metadataKeys: 'plan, agent\nregion',
    }
    expect(patchOf(base, form).patch).toEqual({
      allowedOrigins: ['https://shop.example', 'https://*.example.com'],
      target: { nps: 35, deadline: '2027-03-31' },
      metadataKeys: ['plan', 'agent', 'region'],
    })
  })

  it('sends anything else as typed, for the API to judge, but not a number field without a number', () => {
    const base = survey()
    const form = { ...formOf(base), accent: 'blue', delaySeconds: '', responseLifetimeDays: 'abc' }
    const { patch, errors } = patchOf(base, form)
    expect(patch).toEqual({ theme: { accent: 'blue' } })
    expect(errors).toEqual({
      'display.delaySeconds': ['Enter a number.'],
      responseLifetimeDays: ['Enter a number.'],
    })
  })

  it('previews the card config the public route would serve for the form, in the chosen language and scheme', () => {
    const base = survey()
    const form = { ...formOf(base), question: 'هل تنصح بنا؟', mode: 'auto' as const }
    const config = previewConfigOf(base, form, 'ar', 'dark')
    expect(widgetConfigSchema.parse(config)).toEqual(config)
    expect(config).toMatchObject({ locale: 'ar', dir: 'rtl', theme: { mode: 'dark', accent: '#4f46e5' } })
    expect(config.strings.question).toBe('هل تنصح بنا؟')
    expect(config.strings.followUp.promoter).toBe('ما أكثر ما يعجبك فينا؟')
    // A card set to light stays light whatever the visitor's scheme.
    expect(previewConfigOf(base, { ...form, mode: 'light' }, 'de', 'dark').theme.mode).toBe('light')
    // A language the card does not speak falls back to the survey's default language.
    expect(previewConfigOf(base, { ...form, defaultLocale: 'fr' }, 'xx', 'light').locale).toBe('fr')
  })

  it('previews the corners, font, thank-you link and own texts as the form holds them, saved or not', () => {
    const thanks = { action: 'review', url: 'https://g2.example/acme', site: 'G2' } as const
    const base = {
      ...survey(),
      theme: { ...survey().theme, radius: 4, font: 'inherit' as const },
      thanks,
      texts: { fr: { send: 'Valider' } },
    }
    const config = previewConfigOf(base, formOf(base), 'fr', 'light')
    expect(widgetConfigSchema.parse(config)).toEqual(config)
    expect(config.theme).toMatchObject({ radius: 4, font: 'inherit' })
    expect(config.thanks).toEqual(thanks)
    expect(config.strings.send).toBe('Valider')
    expect(config.strings.skip).toBe('Passer')
    const typed = {
      ...formOf(base),
      radius: '20',
      thanksAction: 'link' as const,
      thanksUrl: 'https://acme.example/new',
      thanksLabel: 'See what’s new',
      texts: { fr: { send: 'Envoyer maintenant', skip: ' ' } },
    }
    const unsaved = previewConfigOf(base, typed, 'fr', 'light')
    expect(unsaved.theme.radius).toBe(20)
    expect(unsaved.thanks).toEqual({
      action: 'link',
      url: 'https://acme.example/new',
      label: 'See what’s new',
    })
    expect(unsaved.strings.send).toBe('Envoyer maintenant')
    expect(unsaved.strings.skip).toBe('Passer')
  })

  it('sends the thank-you step whole, and null to go back to the plain thank-you', () => {
    const base = survey()
    const form = {
      ...formOf(base),
      thanksAction: 'review' as const,
      thanksUrl: ' https://www.g2.com/products/acme/reviews ',
      thanksSite: 'G2',
      thanksLabel: 'left from an earlier choice',
    }
    const { patch, changed } = patchOf(base, form)
    expect(patch).toEqual({
      thanks: { action: 'review', url: 'https://www.g2.com/products/acme/reviews', site: 'G2' },
    })
    expect(changed).toEqual(['thanks'])
    const saved = { ...base, thanks: patch.thanks! }
    expect(patchOf(saved, formOf(saved)).changed).toEqual([])
    expect(patchOf(saved, { ...formOf(saved), thanksAction: 'none' }).patch).toEqual({ thanks: null })
  })

  it('sends a corner radius and a font as theme keys, and an emptied radius as the default 16', () => {
    const base = survey()
    expect(patchOf(base, { ...formOf(base), radius: '6', font: 'inherit' }).patch).toEqual({
      theme: { radius: 6, font: 'inherit' },
    })
    const rounded = { ...base, theme: { ...base.theme, radius: 6 } }
    expect(formOf(rounded).radius).toBe('6')
    expect(patchOf(rounded, { ...formOf(rounded), radius: '' }).patch).toEqual({ theme: { radius: 16 } })
    expect(patchOf(base, { ...formOf(base), radius: 'round' }).errors).toEqual({
      'theme.radius': ['Enter a number.'],
    })
  })

  it('sends the own texts whole, only the strings typed, follow-ups nested, and null when none is left', () => {
    const base = survey()
    const form = {
      ...formOf(base),
      texts: {
        de: { send: ' Abschicken ', 'followUp.detractor': 'Was sollen wir ändern?', skip: '' },
        fr: { skip: '  ' },
      },
    }
    const { patch, changed } = patchOf(base, form)
    expect(patch).toEqual({
      texts: { de: { send: 'Abschicken', followUp: { detractor: 'Was sollen wir ändern?' } } },
    })
    expect(changed).toEqual(['texts'])
    const saved = { ...base, texts: patch.texts! }
    expect(formOf(saved).texts).toEqual({
      de: { send: 'Abschicken', 'followUp.detractor': 'Was sollen wir ändern?' },
    })
    expect(patchOf(saved, formOf(saved)).changed).toEqual([])
    expect(patchOf(saved, { ...formOf(saved), texts: { de: { send: '' } } }).patch).toEqual({ texts: null })
  })
})

describe('placing the API’s issues beside fields', () => {
  it('puts each issue under the longest field path it starts with, and keeps the rest for the summary', () => {
    const failure = new ApiFailure(400, 'invalid_body', 'allowedOrigins.1: …', [
      { path: 'allowedOrigins.1', message: 'ftp://x must use http:// or https://' },
      { path: 'theme.accent', message: 'accent must be a colour like #4f46e5' },
      { path: 'target.deadline', message: 'deadline must be a date such as 2027-06-30' },
      { path: 'display.sampleRate', message: 'Too big' },
      { path: 'colour', message: 'Unrecognized key' },
    ])
    expect(placeIssues(failure, FIELD_PATHS)).toEqual({
      byField: {
        allowedOrigins: ['ftp://x must use http:// or https://'],
        'theme.accent': ['accent must be a colour like #4f46e5'],
        'target.deadline': ['deadline must be a date such as 2027-06-30'],
        'display.sampleRate': ['Too big'],
      },
      unplaced: ['colour: Unrecognized key'],
    })
  })

  it('keeps a refusal without issues (a conflict, a network failure) whole for the summary', () => {
    const failure = new ApiFailure(0, 'network', 'the collector did not answer: check that it is running')
    expect(placeIssues(failure, FIELD_PATHS)).toEqual({
      byField: {},
      unplaced: ['the collector did not answer: check that it is running'],
    })
  })
})
