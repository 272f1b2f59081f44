import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { directionOf, localize, resolveLocale, translations } from './i18n.ts'
import {
  compiledEventSubmissionSchema,
  compiledResponseSubmissionSchema,
  defaultSurveySettings,
  eventSubmissionSchema,
  mergeSurveySettings,
  responseSubmissionSchema,
  surveyCreateSchema,
  surveyPatchSchema,
  surveySettingsSchema,
  THEME_DICTIONARY_LIMITS,
} from './schemas.ts'
import { isUrlAllowed, matchesUrlRule } from './url-rules.ts'

const id = '0b5e8a8e-3f43-4f55-9d7a-2f3b2d0c9a11'

describe('responseSubmissionSchema', () => {
  it('accepts a full answer', () => {
    const answer = {
      id,
      score: 9,
      comment: 'Fast checkout',
      respondentId: 'v_123',
      locale: 'pt-BR',
      url: 'https://shop.example/checkout?step=2',
      metadata: { plan: 'pro', seats: 12, trial: false },
    }
    expect(responseSubmissionSchema.parse(answer)).toEqual(answer)
  })

  it.each([
    ['a fractional score', { id, score: 6.5 }],
    ['a score of 11', { id, score: 11 }],
    ['a score as a string', { id, score: '9' }],
    ['an id that is not a UUID', { id: 'abc', score: 9 }],
    ['a comment over 2000 characters', { id, score: 9, comment: 'x'.repeat(2001) }],
    ['a respondent id over 128 characters', { id, score: 9, respondentId: 'r'.repeat(129) }],
    ['a url over 2048 characters', { id, score: 9, url: `https://a.example/${'p'.repeat(2048)}` }],
    [
      '21 metadata keys',
      { id, score: 9, metadata: Object.fromEntries([...Array(21)].map((_, i) => [`k${i}`, i])) },
    ],
    ['a metadata value over 256 characters', { id, score: 9, metadata: { k: 'v'.repeat(257) } }],
    ['a nested metadata value', { id, score: 9, metadata: { k: { deep: 1 } } }],
    ['an unknown field', { id, score: 9, admin: true }],
    ['consent as a bare true', { id, score: 9, contact: true }],
    ['an email that is not an address', { id, score: 9, contact: { email: 'ana at example.com' } }],
    ['an empty email', { id, score: 9, contact: { email: '  ' } }],
    ['an email over 254 characters', { id, score: 9, contact: { email: `${'a'.repeat(243)}@example.com` } }],
    ['an unknown field in contact', { id, score: 9, contact: { email: 'ana@example.com', phone: '1' } }],
  ])('rejects %s', (_, body) => {
    expect(responseSubmissionSchema.safeParse(body).success).toBe(false)
  })

  it('accepts exactly the limits', () => {
    const body = {
      id,
      score: 0,
      comment: 'x'.repeat(2000),
      respondentId: 'r'.repeat(128),
      metadata: Object.fromEntries([...Array(20)].map((_, i) => [`k${i}`, 'v'.repeat(256)])),
    }
    expect(responseSubmissionSchema.safeParse(body).success).toBe(true)
  })
})

describe('contact consent in an answer', () => {
  it('takes consent without an address, as an identified visitor gives it', () => {
    expect(responseSubmissionSchema.parse({ id, score: 3, contact: {} })).toEqual({
      id,
      score: 3,
      contact: {},
    })
  })

  it('trims the address and lower-cases its domain, keeping the part before the @ as typed', () => {
    const parsed = responseSubmissionSchema.parse({
      id,
      score: 3,
      contact: { email: ' Ana.Lima@Example.COM ' },
    })
    expect(parsed.contact).toEqual({ email: 'Ana.Lima@example.com' })
  })

  it('takes what an <input type="email"> takes: no dot needed in the domain, 254 characters at most', () => {
    expect(
      responseSubmissionSchema.parse({ id, score: 3, contact: { email: 'ops@localhost' } }).contact,
    ).toEqual({
      email: 'ops@localhost',
    })
    const longest = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`
    expect(longest).toHaveLength(254)
    expect(responseSubmissionSchema.safeParse({ id, score: 3, contact: { email: longest } }).success).toBe(
      true,
    )
  })

  it('names the field when the address is bad', () => {
    const result = responseSubmissionSchema.safeParse({ id, score: 3, contact: { email: 'nobody' } })
    expect(result.error?.issues).toMatchObject([
      { path: ['contact', 'email'], message: 'must be an email address' },
    ])
  })

  it('keeps the answer schema on the compiled fast path (no feature the compiler would refuse)', () => {
    expect(() => z.compile(responseSubmissionSchema, { strict: true })).not.toThrow()
  })
})

describe('the compiled submission schemas', () => {
  // Valid bodies, and the same bodies with one field turned into something clients get wrong.
  const wrong = fc.oneof(
    fc.integer({ min: -1, max: 12 }),
    fc.double(),
    fc.constantFrom(
      null,
      true,
      '9',
      [],
      {},
      '',
      ' x ',
      '\t',
      'x'.repeat(2001),
      'not-a-uuid',
      'http:example.com',
    ),
    fc.string({ maxLength: 300 }),
    fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.double(), fc.constant(null)), { maxKeys: 22 }),
  )
  const validAnswer = fc.record(
    {
      id: fc.uuid({ version: [4, 7] }),
      score: fc.integer({ min: 0, max: 10 }),
      comment: fc.string({ maxLength: 2000 }),
      respondentId: fc.string({ minLength: 1, maxLength: 128 }),
      locale: fc.constantFrom('en', 'pt-BR', 'zh-Hant-TW', 'de'),
      url: fc.oneof(fc.webUrl({ withQueryParameters: true }), fc.constant(' https://shop.example/a ')),
      metadata: fc.dictionary(
        fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/),
        fc.oneof(fc.string({ maxLength: 256 }), fc.integer(), fc.boolean()),
        { maxKeys: 20 },
      ),
      contact: fc.oneof(
        fc.constant({}),
        fc.record({
          email: fc.oneof(
            fc.emailAddress(),
            fc.constantFrom(' Ana@Example.COM ', 'ops@localhost', 'x@', '@y', 'a b@c.d', ''),
          ),
        }),
      ),
    },
    { requiredKeys: ['id', 'score'] },
  )
  const answer = fc.oneof(
    validAnswer,
    fc
      .tuple(
        validAnswer,
        fc.constantFrom(
          'id',
          'score',
          'comment',
          'respondentId',
          'locale',
          'url',
          'metadata',
          'contact',
          'extra',
        ),
        wrong,
      )
      .map(([valid, key, value]) => ({ ...valid, [key]: value })),
  )
  /** Both parse alike; answers whether the input was valid. */
  const same = (compiled: z.ZodType, schema: z.ZodType, input: unknown) => {
    const fast = compiled.safeParse(input)
    const slow = schema.safeParse(input)
    expect(fast.success).toBe(slow.success)
    if (slow.success) expect(fast.data).toEqual(slow.data)
    else expect(fast.error?.issues).toEqual(slow.error.issues)
    return slow.success
  }

  it('accept and refuse answers exactly as the schema does, with the same issues', () => {
    let valid = 0
    fc.assert(
      fc.property(answer, (input) => {
        if (same(compiledResponseSubmissionSchema, responseSubmissionSchema, input)) valid++
      }),
      { numRuns: 3000 },
    )
    // Both halves were exercised: plenty of valid bodies, plenty of refusals.
    expect(valid).toBeGreaterThan(1000)
    expect(valid).toBeLessThan(2500)
  })

  it('accept and refuse events exactly as the schema does', () => {
    const event = fc.record(
      {
        type: fc.oneof(fc.constantFrom('shown', 'dismissed'), wrong),
        respondentId: fc.oneof(fc.string({ minLength: 1, maxLength: 128 }), wrong),
        responseId: fc.oneof(fc.uuid({ version: [4, 7] }), wrong),
        extra: wrong,
      },
      { requiredKeys: ['type', 'respondentId'] },
    )
    fc.assert(
      fc.property(event, (input) => {
        same(compiledEventSubmissionSchema, eventSubmissionSchema, input)
      }),
      { numRuns: 1000 },
    )
  })
})

describe('eventSubmissionSchema', () => {
  it('accepts shown and dismissed, and nothing else', () => {
    expect(eventSubmissionSchema.safeParse({ type: 'shown', respondentId: 'v1' }).success).toBe(true)
    expect(
      eventSubmissionSchema.safeParse({ type: 'dismissed', respondentId: 'v1', responseId: id }).success,
    ).toBe(true)
    expect(eventSubmissionSchema.safeParse({ type: 'clicked', respondentId: 'v1' }).success).toBe(false)
  })
})

describe('survey settings', () => {
  it('fills every default around a name', () => {
    const created = surveyCreateSchema.parse({ name: 'Checkout NPS' })
    const settings = mergeSurveySettings(defaultSurveySettings(created.name), created)
    expect(surveySettingsSchema.parse(settings)).toEqual(settings)
    expect(settings.display.resurveyAfterDays).toBe(90)
    expect(settings.question).toBeNull()
  })

  it('names an account key optionally, keeps it through a patch, and removes it with null', () => {
    const base = defaultSurveySettings('A')
    expect(base.accounts).toBeUndefined()
    const withKey = mergeSurveySettings(base, surveyPatchSchema.parse({ accounts: { key: 'accountId' } }))
    expect(withKey.accounts).toEqual({ key: 'accountId' })
    expect(surveySettingsSchema.parse(withKey)).toEqual(withKey)
    expect(mergeSurveySettings(withKey, { name: 'B' }).accounts).toEqual({ key: 'accountId' })
    expect('accounts' in mergeSurveySettings(withKey, { accounts: null })).toBe(false)
    expect(surveyPatchSchema.safeParse({ accounts: { key: 'no spaces' } }).success).toBe(false)
  })

  it('merges nested settings key by key', () => {
    const base = defaultSurveySettings('A')
    const next = mergeSurveySettings(base, { display: { sampleRate: 0.25 }, theme: { mode: 'dark' } })
    expect(next.display).toEqual({ ...base.display, sampleRate: 0.25 })
    expect(next.theme).toEqual({ ...base.theme, mode: 'dark' })
  })

  it('keeps today’s card by default: no thank-you link, no own texts, the default corners and font', () => {
    const base = defaultSurveySettings('A')
    expect('thanks' in base).toBe(false)
    expect('texts' in base).toBe(false)
    expect(base.theme).toEqual({ accent: '#4f46e5', position: 'bottom-right', mode: 'auto' })
  })

  it('takes a thank-you link, a review link or none, keeps it through a patch, and removes it with null', () => {
    const base = defaultSurveySettings('A')
    const review = { action: 'review', url: 'https://www.g2.com/products/acme/reviews', site: 'G2' } as const
    const withReview = mergeSurveySettings(base, surveyPatchSchema.parse({ thanks: review }))
    expect(surveySettingsSchema.parse(withReview).thanks).toEqual(review)
    expect(mergeSurveySettings(withReview, { name: 'B' }).thanks).toEqual(review)
    expect('thanks' in mergeSurveySettings(withReview, { thanks: null })).toBe(false)
    const link = { action: 'link', url: 'https://acme.example/new', label: 'See what’s new' }
    expect(surveyPatchSchema.safeParse({ thanks: link }).success).toBe(true)
    expect(surveyPatchSchema.safeParse({ thanks: { action: 'none' } }).success).toBe(true)
  })

  it('refuses a thank-you link that is not http(s), or misses its text', () => {
    const bad = [
      { action: 'link', url: 'javascript:alert(1)', label: 'x' },
      { action: 'link', url: 'data:text/html,hi', label: 'x' },
      { action: 'link', url: 'https://acme.example' },
      { action: 'review', url: 'https://g2.example', site: '' },
      { action: 'review', url: 'https://g2.example', site: 'G2', label: 'extra' },
      { action: 'confetti' },
    ]
    for (const thanks of bad)
      expect(surveyPatchSchema.safeParse({ thanks }).success, JSON.stringify(thanks)).toBe(false)
  })

  it('takes a corner radius of 0 to 28 px and the host’s or the system font', () => {
    const next = mergeSurveySettings(defaultSurveySettings('A'), { theme: { radius: 4, font: 'inherit' } })
    expect(surveySettingsSchema.parse(next).theme).toEqual({ ...next.theme, radius: 4, font: 'inherit' })
    for (const theme of [{ radius: -1 }, { radius: 29 }, { radius: 2.5 }, { font: 'Comic Sans' }]) {
      expect(surveyPatchSchema.safeParse({ theme }).success, JSON.stringify(theme)).toBe(false)
    }
  })

  it('takes its own texts per shipped locale, any string of it, and names a locale that is not shipped', () => {
    const texts = {
      fr: { question: 'Recommanderiez-vous Acme\u00a0?' },
      de: { followUp: { passive: 'Was fehlt?' } },
    }
    const next = mergeSurveySettings(defaultSurveySettings('A'), surveyPatchSchema.parse({ texts }))
    expect(surveySettingsSchema.parse(next).texts).toEqual(texts)
    expect('texts' in mergeSurveySettings(next, { texts: null })).toBe(false)
    const unknown = surveyPatchSchema.safeParse({ texts: { xx: { question: 'Q?' } } })
    expect(unknown.success).toBe(false)
    expect(unknown.error?.issues[0]?.message).toContain('xx is not a shipped locale')
    expect(surveyPatchSchema.safeParse({ texts: { fr: { title: 'x' } } }).success).toBe(false)
    expect(surveyPatchSchema.safeParse({ texts: { fr: { send: 'x'.repeat(501) } } }).success).toBe(false)
  })

  it('rejects an origin with a path and a sample rate above 1', () => {
    expect(surveyCreateSchema.safeParse({ name: 'A', allowedOrigins: ['https://a.example/x'] }).success).toBe(
      false,
    )
    expect(surveyCreateSchema.safeParse({ name: 'A', display: { sampleRate: 1.5 } }).success).toBe(false)
  })
})

describe('metadata keys', () => {
  it('lets a survey declare at most 50 distinct keys, and PATCH null take the declaration away', () => {
    const settings = defaultSurveySettings('S')
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`)
    expect(surveySettingsSchema.safeParse({ ...settings, metadataKeys: keys(50) }).success).toBe(true)
    expect(surveySettingsSchema.safeParse({ ...settings, metadataKeys: keys(51) }).success).toBe(false)
    expect(surveySettingsSchema.safeParse({ ...settings, metadataKeys: ['a', 'a'] }).success).toBe(false)
    expect(surveySettingsSchema.safeParse({ ...settings, metadataKeys: ['no spaces'] }).success).toBe(false)
    const declared = mergeSurveySettings(settings, { metadataKeys: ['plan'] })
    expect(declared.metadataKeys).toEqual(['plan'])
    expect(mergeSurveySettings(declared, { name: 'T' }).metadataKeys).toEqual(['plan'])
    expect('metadataKeys' in mergeSurveySettings(declared, { metadataKeys: null })).toBe(false)
    expect('metadataKeys' in settings).toBe(false)
  })
})

describe('i18n', () => {
  it('ships twenty-nine languages with every string, none left in English', () => {
    const keys = Object.keys(translations.en!).sort()
    expect(Object.keys(translations).sort()).toEqual(
      [
        ...['ar', 'cs', 'da', 'de', 'el', 'en', 'es', 'fa', 'fi', 'fr', 'he', 'hi', 'hu', 'id', 'it'],
        ...['ja', 'ko', 'nb', 'nl', 'pl', 'pt', 'ro', 'ru', 'sv', 'th', 'tr', 'uk', 'vi', 'zh'],
      ].sort(),
    )
    const { en, ...others } = translations
    for (const [locale, strings] of Object.entries(translations)) {
      expect(Object.keys(strings).sort(), locale).toEqual(keys)
      expect(strings.scoreLabel, locale).toContain('{score}')
      expect(strings.review, locale).toContain('{site}')
    }
    for (const [locale, strings] of Object.entries(others)) {
      for (const key of ['question', 'low', 'high', 'thanks', 'review', 'reviewLink'] as const) {
        expect(strings[key], `${locale} ${key}`).not.toBe(en?.[key])
      }
    }
  })

  it('never lets a French question or exclamation mark wrap alone: a no-break space comes before it', () => {
    const texts = JSON.stringify(translations.fr)
    expect(texts).toMatch(/\u00a0[?!]/)
    expect(texts).not.toMatch(/ [?!:;]/)
  })

  it('reads Norwegian browsers (no, nn, nb-NO) as Bokmål', () => {
    expect(resolveLocale('no')).toBe('nb')
    expect(resolveLocale('nn-NO,en;q=0.5')).toBe('nb')
    expect(resolveLocale('nb-NO')).toBe('nb')
  })

  it('asks for contact consent and an email address in each language’s own words', () => {
    const { en, ...others } = translations
    for (const [locale, strings] of Object.entries(others)) {
      expect(strings.contact, locale).not.toBe(en?.contact)
      expect(strings.email, locale).not.toBe(en?.email)
      expect(strings.contact.length, locale).toBeGreaterThan(0)
    }
  })

  it('resolves a browser preference list to the best shipped language', () => {
    expect(resolveLocale('de-CH,de;q=0.9,en;q=0.8')).toBe('de')
    expect(resolveLocale('xx, fr;q=0.5, es;q=0.7')).toBe('es')
    expect(resolveLocale('pt-BR')).toBe('pt')
    expect(resolveLocale('tlh')).toBe('en')
    expect(resolveLocale(undefined, 'sv')).toBe('sv')
  })

  it('writes Arabic and Hebrew right to left', () => {
    expect(directionOf('ar')).toBe('rtl')
    expect(directionOf('he-IL')).toBe('rtl')
    expect(directionOf('en')).toBe('ltr')
  })

  it('writes Persian right to left too', () => {
    expect(directionOf('fa-IR')).toBe('rtl')
  })

  it('lets a survey word one string of one locale and keeps every other default of it', () => {
    const texts = {
      fr: { question: 'Recommanderiez-vous Acme\u00a0?', followUp: { passive: 'Que manque-t-il\u00a0?' } },
    }
    const fr = localize('fr', { texts })
    expect(fr.question).toBe('Recommanderiez-vous Acme\u00a0?')
    expect(fr.followUp.passive).toBe('Que manque-t-il\u00a0?')
    const { question: _q, followUp, ...rest } = fr
    const { question: _d, followUp: defaults, ...restDefaults } = translations.fr!
    expect(rest).toEqual(restDefaults)
    expect(followUp.promoter).toBe(defaults.promoter)
    expect(followUp.detractor).toBe(defaults.detractor)
    // Another locale does not see the French wording.
    expect(localize('de', { texts })).toEqual(translations.de)
  })

  it('puts a locale’s own text over the survey question asked in every language', () => {
    const strings = localize('fr', {
      question: 'Would you recommend Acme?',
      followUp: { promoter: 'Why?' },
      texts: { fr: { question: 'Recommanderiez-vous Acme\u00a0?' } },
    })
    expect(strings.question).toBe('Recommanderiez-vous Acme\u00a0?')
    expect(strings.followUp.promoter).toBe('Why?')
    expect(localize('es', { question: 'Would you recommend Acme?' }).question).toBe(
      'Would you recommend Acme?',
    )
  })

  it('lets the survey text override the default in every language', () => {
    const strings = localize('de', { question: 'Empfehlen Sie Acme?', followUp: { detractor: 'Warum?' } })
    expect(strings.question).toBe('Empfehlen Sie Acme?')
    expect(strings.followUp.detractor).toBe('Warum?')
    expect(strings.followUp.promoter).toBe(translations.de!.followUp.promoter)
  })
})

describe('url rules', () => {
  it('matches path rules with wildcards against the path', () => {
    expect(matchesUrlRule('/checkout/*', 'https://a.example/checkout/done')).toBe(true)
    expect(matchesUrlRule('/checkout/*', 'https://a.example/cart')).toBe(false)
    expect(matchesUrlRule('/pricing', 'https://a.example/pricing?ref=x')).toBe(true)
  })

  it('excludes before it includes', () => {
    const rules = { urlInclude: ['/app/*'], urlExclude: ['/app/settings*'] }
    expect(isUrlAllowed('https://a.example/app/home', rules)).toBe(true)
    expect(isUrlAllowed('https://a.example/app/settings/billing', rules)).toBe(false)
    expect(isUrlAllowed('https://a.example/blog', rules)).toBe(false)
  })

  it('treats regular-expression characters in rules literally', () => {
    expect(matchesUrlRule('/a.b', 'https://x.example/aXb')).toBe(false)
    expect(matchesUrlRule('https://x.example/*', 'https://x.example/any')).toBe(true)
  })
})

describe('theme dictionary settings', () => {
  const valid = { themes: { dictionary: { billing: ['billing', 'invoice', 'Rechnung'] } } }

  it('accepts a bounded dictionary on create and keeps it through a patch that does not name it', () => {
    const created = mergeSurveySettings(
      defaultSurveySettings('S'),
      surveyCreateSchema.parse({ name: 'S', ...valid }),
    )
    expect(created.themes).toEqual(valid.themes)
    expect(mergeSurveySettings(created, { name: 'T' }).themes).toEqual(valid.themes)
    expect(surveySettingsSchema.safeParse(created).success).toBe(true)
  })

  it('refuses empty spellings, phrases of three words and too many themes or spellings', () => {
    const bad = (dictionary: unknown) =>
      surveyCreateSchema.safeParse({ name: 'S', themes: { dictionary } }).success
    expect(bad({ billing: [] })).toBe(false)
    expect(bad({ billing: [' '] })).toBe(false)
    expect(bad({ billing: ['bill me later'] })).toBe(false)
    expect(
      bad({ billing: Array.from({ length: THEME_DICTIONARY_LIMITS.terms + 1 }, (_, i) => `w${i}`) }),
    ).toBe(false)
    expect(
      bad(
        Object.fromEntries(
          Array.from({ length: THEME_DICTIONARY_LIMITS.themes + 1 }, (_, i) => [`t${i}`, ['x']]),
        ),
      ),
    ).toBe(false)
  })
})
