/**
 * Running surveys from the dashboard: a setting saved in the settings view is what the widget shows on a
 * site; the preview frames the widget's own card with the form's unsaved values in the chosen language;
 * the API's validation messages appear beside the fields they name and nothing is saved; a survey is
 * created from the dashboard; API keys are made (the secret shown once), used and revoked. Every view is
 * checked with axe in light, dark and at 390 px, and photographed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { admin, createSurvey } from '../harness/api.ts'
import { card, scoreOption, sendButton, waitForCard } from '../harness/card.ts'
import { requireChromium } from '../harness/chromium.ts'
import {
  createKey,
  expectAccessible,
  LOOKS,
  openView,
  screenshot,
  signIn,
  waitForIdle,
} from '../harness/dashboard.ts'
import { embedPage } from '../harness/host.ts'
import { useWorld } from '../harness/suite.ts'

interface SurveyBody {
  id: string
  name: string
  question: string | null
  followUp: Record<'promoter' | 'passive' | 'detractor', string | null>
  allowedOrigins: string[]
  theme: { accent: string; position: string; mode: string; radius?: number; font?: string }
  thanks?: Record<string, string>
  texts?: Record<string, Record<string, unknown>>
  updatedAt: string
}

const PREVIEW = 'iframe[title="Preview of the survey card"]'

/** `#4f46e5` as the browser reports a computed colour. */
const rgb = (hex: string) =>
  `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`

/** Content-Security-Policy refusals on a page and its frames, as the console and the DOM report them. */
function recordCspViolations(page: Page): string[] {
  const violations: string[] = []
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
  })
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`))
  return violations
}

/** The card inside the preview frame, once the widget's build has mounted it. */
function previewCard(page: Page) {
  return page.frameLocator(PREVIEW).locator('npskit-card')
}

describe.skipIf(!requireChromium())('the dashboard: settings, a new survey and API keys', () => {
  const world = useWorld()

  /** A survey open to the host server, with a page there that embeds it. */
  async function surveyOnAPage(path: string, settings: Parameters<typeof createSurvey>[1] = {}) {
    const survey = await createSurvey(world.collector, {
      name: 'Checkout NPS',
      allowedOrigins: [world.host.origin],
      ...settings,
    })
    world.host.page(path, { html: embedPage({ collectorUrl: world.collector.url, surveyId: survey.id }) })
    return survey
  }

  /** A new visitor's page on the host site with the card open. */
  async function visit(path: string) {
    const page = await world.newPage()
    await page.goto(`${world.host.origin}${path}`)
    await waitForCard(page)
    return page
  }

  async function openSettings(page: Page, surveyId: string) {
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/surveys/${surveyId}/settings`)
    await previewCard(page).locator('[role="radiogroup"]').waitFor()
  }

  it('saves a question, an accent colour and a follow-up prompt that the card then shows on the host page', async () => {
    const survey = await surveyOnAPage('/settings-saved')
    const before = await visit('/settings-saved')
    expect(await card(before).locator('.q').textContent()).toBe(
      'How likely are you to recommend us to a friend or colleague?',
    )

    const page = await world.newPage()
    const violations = recordCspViolations(page)
    const patches: unknown[] = []
    page.on('request', (request) => {
      if (request.method() === 'PATCH') patches.push(request.postDataJSON())
    })
    await openSettings(page, survey.id)
    await page.getByLabel('Question', { exact: true }).fill('How likely are you to recommend Acme Checkout?')
    await page.getByLabel('Accent colour', { exact: true }).fill('#0f766e')
    await page.getByLabel('Follow-up for promoters (9–10)').fill('What should we never change?')
    expect(await page.locator('.unsaved').textContent()).toBe('Unsaved changes')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect
      .poll(() => page.locator('.status-ok').textContent())
      .toBe('Saved: Question, Follow-up for promoters (9–10), Accent colour.')
    expect(await page.locator('.unsaved').textContent()).toBe('')
    // Only what changed went to the API: nested objects merge there key by key.
    expect(patches).toEqual([
      {
        question: 'How likely are you to recommend Acme Checkout?',
        followUp: { promoter: 'What should we never change?' },
        theme: { accent: '#0f766e' },
      },
    ])
    const saved = await admin<SurveyBody>(world.collector, `/v1/surveys/${survey.id}`)
    expect(saved.question).toBe('How likely are you to recommend Acme Checkout?')
    expect(saved.followUp).toEqual({
      promoter: 'What should we never change?',
      passive: null,
      detractor: null,
    })
    expect(saved.theme.accent).toBe('#0f766e')

    // A new visitor (the config is cached per browser for five minutes) gets the saved settings.
    const after = await visit('/settings-saved')
    expect(await card(after).locator('.q').textContent()).toBe(
      'How likely are you to recommend Acme Checkout?',
    )
    await scoreOption(after, 10).click()
    expect(await card(after).locator('label.q').textContent()).toBe('What should we never change?')
    expect(await sendButton(after).evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(rgb('#0f766e'))
    expect(violations).toEqual([])
  })

  it('previews the real card with the typed, unsaved question in the chosen language and scheme, without saving it', async () => {
    const survey = await surveyOnAPage('/settings-preview', { defaultLocale: 'fr' })
    const page = await world.newPage()
    const violations = recordCspViolations(page)
    await openSettings(page, survey.id)
    const preview = previewCard(page)
    // The preview starts in the survey's default language.
    expect(await page.getByLabel('Preview language').inputValue()).toBe('fr')
    expect(await preview.locator('.q').textContent()).toBe(
      // French puts a no-break space before its question mark.
      'Quelle est la probabilité que vous nous recommandiez à un ami ou un collègue\u00a0?',
    )

    await page.getByLabel('Preview language').selectOption('de')
    await page.getByLabel('Question', { exact: true }).fill('Würden Sie Acme weiterempfehlen?')
    await expect.poll(() => preview.locator('.q').textContent()).toBe('Würden Sie Acme weiterempfehlen?')
    expect(await preview.locator('.card').getAttribute('lang')).toBe('de')
    expect(await preview.locator('.ends').textContent()).toBe('Sehr unwahrscheinlichSehr wahrscheinlich')
    // The card is the widget's build, served by the collector: the frame loaded /nps-card.js.
    const frame = page.frames().find((f) => f.url().endsWith('/dashboard/preview'))!
    expect(
      await frame.evaluate(() =>
        performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname),
      ),
    ).toContain('/nps-card.js')

    // The light/dark choice is the visitor's scheme: an `auto` card follows it.
    await page.getByLabel('Light').check()
    await expect.poll(() => preview.getAttribute('data-mode')).toBe('light')
    await page.getByLabel('Dark').check()
    await expect.poll(() => preview.getAttribute('data-mode')).toBe('dark')
    // An answer in the preview shows the default follow-up in the preview's language, and sends nothing.
    await preview.locator('label:has(> input[name="score"][value="3"])').click()
    expect(await preview.locator('label.q').textContent()).toBe(
      'Was hat Sie enttäuscht, und was sollten wir zuerst verbessern?',
    )

    await screenshot(page, 'settings-preview-de-dark')

    const stored = await admin<SurveyBody & { total?: number }>(world.collector, `/v1/surveys/${survey.id}`)
    expect(stored.question).toBeNull()
    expect((await admin<{ total: number }>(world.collector, `/v1/surveys/${survey.id}/nps`)).total).toBe(0)
    expect(violations).toEqual([])
  })

  it('shows the API’s message beside each refused field, sums them up at the top, and saves nothing', async () => {
    const survey = await surveyOnAPage('/settings-refused')
    const page = await world.newPage()
    await openSettings(page, survey.id)
    await page.getByLabel('Accent colour', { exact: true }).fill('blue')
    await page.getByLabel('Allowed origins').fill(`${world.host.origin}\nftp://x`)
    await page.getByRole('button', { name: 'Save changes' }).click()

    const accent = page.getByLabel('Accent colour', { exact: true })
    await expect.poll(() => accent.getAttribute('aria-invalid')).toBe('true')
    expect(await accent.getAttribute('aria-describedby')).toContain('f-theme-accent-error')
    expect(await page.locator('#f-theme-accent-error').textContent()).toBe(
      'Error: accent must be a colour like #4f46e5',
    )
    const origins = page.getByLabel('Allowed origins')
    expect(await origins.getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('#f-allowedOrigins-error').textContent()).toContain('ftp://x')
    const summary = page.locator('.error-summary')
    expect(await summary.getByRole('link').allTextContents()).toEqual([
      expect.stringContaining('Allowed origins: ftp://x'),
      'Accent colour: accent must be a colour like #4f46e5',
    ])
    // The summary takes focus, and its links lead to the fields.
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('error-summary')
    await summary.getByRole('link', { name: /Accent colour/ }).click()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-theme-accent')
    expect(new URL(page.url()).pathname).toBe(`/dashboard/surveys/${survey.id}/settings`)

    const stored = await admin<SurveyBody>(world.collector, `/v1/surveys/${survey.id}`)
    expect(stored.theme.accent).toBe('#4f46e5')
    expect(stored.allowedOrigins).toEqual([world.host.origin])
    expect(stored.updatedAt).toBe(survey.updatedAt)
    // The typed values stay, to be corrected.
    expect(await accent.inputValue()).toBe('blue')
    await expectAccessible(page, 'settings with refused fields')
    await screenshot(page, 'settings-refused')
  })

  it('edits the thank-you step, the corners, the font and one language’s texts, keeps them through a reload, and the link page then shows them', async () => {
    const survey = await surveyOnAPage('/settings-card')
    const page = await world.newPage()
    const violations = recordCspViolations(page)
    await openSettings(page, survey.id)
    const after = page.getByLabel('After the answer')
    expect(await after.inputValue()).toBe('none')
    // The link's fields appear with the choice; a javascript: address is the API's to refuse, beside it.
    expect(await page.getByLabel('Link address').count()).toBe(0)
    await after.selectOption('review')
    await page.getByLabel('Link address').fill('javascript:alert(1)')
    await page.getByLabel('Review site').fill('G2')
    await page.getByRole('button', { name: 'Save changes' }).click()
    const url = page.getByLabel('Link address')
    await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('#f-thanks-url-error').textContent()).toBe(
      'Error: must be an http: or https: URL, not javascript:',
    )
    expect((await admin<SurveyBody>(world.collector, `/v1/surveys/${survey.id}`)).updatedAt).toBe(
      survey.updatedAt,
    )

    await url.fill('https://www.g2.com/products/acme/reviews')
    await page.getByLabel('Corner radius (px)').fill('6')
    await page.getByLabel('Font', { exact: true }).selectOption('inherit')
    // The texts of one language: each field shows the built-in text it would replace.
    await page.getByLabel('Language', { exact: true }).selectOption('de')
    const send = page.getByLabel('Send button')
    expect(await send.getAttribute('placeholder')).toBe('Senden')
    expect(await page.getByLabel('Question in this language').getAttribute('placeholder')).toBe(
      'Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen empfehlen?',
    )
    await send.fill('Abschicken')
    // The preview follows the language being worded, with the unsaved text.
    await expect.poll(() => previewCard(page).locator('.card').getAttribute('lang')).toBe('de')
    await expectAccessible(page, 'settings with a review link and German texts')
    await screenshot(page, 'settings-card-texts')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect
      .poll(() => page.locator('.status-ok').textContent())
      .toBe('Saved: Corner radius (px), Font, After the answer, Texts per language.')
    const saved = await admin<SurveyBody>(world.collector, `/v1/surveys/${survey.id}`)
    expect(saved.thanks).toEqual({
      action: 'review',
      url: 'https://www.g2.com/products/acme/reviews',
      site: 'G2',
    })
    expect(saved.theme).toMatchObject({ radius: 6, font: 'inherit' })
    expect(saved.texts).toEqual({ de: { send: 'Abschicken' } })

    // A reload reads them back from the collector.
    await page.reload()
    await waitForIdle(page)
    expect(await page.getByLabel('After the answer').inputValue()).toBe('review')
    expect(await page.getByLabel('Link address').inputValue()).toBe(
      'https://www.g2.com/products/acme/reviews',
    )
    expect(await page.getByLabel('Review site').inputValue()).toBe('G2')
    expect(await page.getByLabel('Corner radius (px)').inputValue()).toBe('6')
    expect(await page.getByLabel('Font', { exact: true }).inputValue()).toBe('inherit')
    await page.getByLabel('Language', { exact: true }).selectOption('de')
    expect(await page.getByLabel('Send button').inputValue()).toBe('Abschicken')
    expect(await page.locator('.unsaved').textContent()).toBe('')
    expect(violations).toEqual([])

    // The survey's link page: a promoter is asked for the review, with the survey's corners.
    const visitor = await world.newPage()
    await visitor.goto(`${world.collector.url}/s/${survey.id}`)
    await waitForCard(visitor)
    expect(
      await card(visitor)
        .locator('.card')
        .evaluate((el) => getComputedStyle(el).borderTopLeftRadius),
    ).toBe('6px')
    await scoreOption(visitor, 10).click()
    await card(visitor).getByRole('button', { name: 'Skip' }).click()
    const review = card(visitor).getByRole('link', { name: 'Write a review' })
    await review.waitFor()
    expect(await review.getAttribute('href')).toBe('https://www.g2.com/products/acme/reviews')
    expect(await card(visitor).locator('.more').textContent()).toBe('Would you tell others on G2?')
    const german = await world.newPage({ locale: 'de-DE' })
    await german.goto(`${world.collector.url}/s/${survey.id}`)
    await waitForCard(german)
    await scoreOption(german, 3).click()
    expect(await sendButton(german).textContent()).toBe('Abschicken')

    // A read key sees none of it.
    const reader = await world.newPage()
    await signIn(reader, world.collector, await createKey(world.collector, 'read'))
    await openView(reader, world.collector, `/dashboard/surveys/${survey.id}/settings`)
    expect(await reader.getByRole('heading', { name: 'Needs an admin key' }).count()).toBe(1)
    expect(await reader.getByLabel('After the answer').count()).toBe(0)
    expect(await reader.getByLabel('Send button').count()).toBe(0)
  })

  it('keeps unsaved changes across a visit to another tab, and discards them on request', async () => {
    const survey = await surveyOnAPage('/settings-draft')
    const page = await world.newPage()
    await openSettings(page, survey.id)
    await page.getByLabel('Name').fill('Checkout NPS (renamed)')
    const tabs = page.getByRole('navigation', { name: 'Survey views' })
    await tabs.getByRole('link', { name: 'Overview' }).click()
    await waitForIdle(page)
    await tabs.getByRole('link', { name: 'Settings' }).click()
    await waitForIdle(page)
    expect(await page.getByLabel('Name').inputValue()).toBe('Checkout NPS (renamed)')
    expect(await page.locator('.unsaved').textContent()).toBe('Unsaved changes')
    await page.getByRole('button', { name: 'Discard changes' }).click()
    expect(await page.getByLabel('Name').inputValue()).toBe('Checkout NPS')
    expect(await page.getByRole('button', { name: 'Discard changes' }).isDisabled()).toBe(true)
    expect((await admin<SurveyBody>(world.collector, `/v1/surveys/${survey.id}`)).name).toBe('Checkout NPS')
  })

  it('deletes a survey only after a confirm step that says every answer goes with it', async () => {
    const survey = await surveyOnAPage('/settings-delete', { name: 'Short-lived survey' })
    const page = await world.newPage()
    await openSettings(page, survey.id)
    await page.getByRole('button', { name: 'Delete survey…' }).click()
    expect(await page.locator('.danger-zone').textContent()).toContain(
      'Delete “Short-lived survey” and every answer it has collected?',
    )
    await page.getByRole('button', { name: 'Cancel' }).click()
    expect((await fetch(`${world.collector.url}/v1/surveys/${survey.id}/widget`)).status).toBe(200)
    await page.getByRole('button', { name: 'Delete survey…' }).click()
    await page.getByRole('button', { name: 'Delete the survey and every answer' }).click()
    await page.waitForURL(`${world.collector.url}/dashboard/surveys`)
    await waitForIdle(page)
    expect(await page.getByRole('link', { name: 'Short-lived survey' }).count()).toBe(0)
    expect((await fetch(`${world.collector.url}/v1/surveys/${survey.id}/widget`)).status).toBe(404)
  })

  it('creates a survey from the dashboard, refusing a bad one with the API’s messages, then shows its snippet', async () => {
    const page = await world.newPage()
    await signIn(page, world.collector)
    await waitForIdle(page)
    await page.getByRole('link', { name: 'New survey' }).click()
    await page.getByLabel('Site (allowed origin)').fill('ftp://x')
    await page.getByRole('button', { name: 'Create survey' }).click()
    const name = page.getByLabel('Name')
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('#new-name-error').textContent()).toBe('Error: must not be empty')
    expect(await page.locator('#new-allowedOrigins-error').textContent()).toContain('ftp://x')
    expect(await page.getByLabel('Site (allowed origin)').getAttribute('aria-describedby')).toBe(
      'new-allowedOrigins-error new-allowedOrigins-help',
    )
    await expectAccessible(page, 'new survey with refused fields')
    await screenshot(page, 'new-survey-refused')

    await name.fill('Onboarding NPS')
    await page.getByLabel('Site (allowed origin)').fill(world.host.origin.toUpperCase())
    await page.getByLabel('Question').fill('How likely are you to recommend our onboarding?')
    await page.getByRole('button', { name: 'Create survey' }).click()
    await page.waitForURL(/\/dashboard\/surveys\/srv_[^/]+\/settings$/)
    const id = /surveys\/(srv_[^/]+)\/settings/.exec(page.url())![1]!
    await waitForIdle(page)
    const created = page.locator('.created')
    expect(await created.getByRole('heading').textContent()).toBe('Survey created')
    expect(await created.locator('code').textContent()).toBe(
      `<script async src="${world.collector.url}/nps.js" data-survey="${id}"></script>`,
    )
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Onboarding NPS')
    const survey = await admin<SurveyBody>(world.collector, `/v1/surveys/${id}`)
    // The API normalised the origin to the form a browser sends.
    expect(survey).toMatchObject({
      name: 'Onboarding NPS',
      allowedOrigins: [world.host.origin],
      question: 'How likely are you to recommend our onboarding?',
    })
    expect(await page.getByLabel('Allowed origins').inputValue()).toBe(world.host.origin)
    await previewCard(page).locator('[role="radiogroup"]').waitFor()
    await expectAccessible(page, 'settings of a survey just created')
    await screenshot(page, 'settings-created')
  })

  it('makes a read key whose secret is shown once and signs in with read scope, and revokes it so it opens nothing', async () => {
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(page, world.collector, '/dashboard/keys')
    await page.getByLabel('Name').fill('CS team')
    await page.getByLabel(/^Read/).check()
    await page.getByRole('button', { name: 'Create key' }).click()
    const secretPanel = page.locator('.new-secret')
    await secretPanel.waitFor()
    expect(await secretPanel.textContent()).toContain('you will not see it again')
    const secret = (await secretPanel.locator('code.secret').textContent())!
    expect(secret).toMatch(/^npk_/)
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'CS team' }) })
    await row.waitFor()
    expect(await row.locator('td').allTextContents()).toEqual([
      'read',
      `…${secret.slice(-4)}`,
      expect.any(String),
      'Active',
      'Revoke…',
    ])
    await page.getByRole('button', { name: 'I have copied it' }).click()
    expect(await page.locator('.new-secret').count()).toBe(0)
    expect(await page.content()).not.toContain(secret)

    const reader = await world.newPage()
    await signIn(reader, world.collector, secret)
    expect(await reader.locator('header.top .badge').textContent()).toBe('read')
    expect(await reader.getByRole('link', { name: 'Keys' }).count()).toBe(0)

    await row.getByRole('button', { name: 'Revoke CS team' }).click()
    expect(await row.textContent()).toContain('Whatever uses it stops working at once')
    await row.getByRole('button', { name: 'Revoke key' }).click()
    await expect.poll(() => row.locator('td').nth(3).textContent()).toMatch(/^Revoked /)
    expect(await page.locator('.status-ok').textContent()).toBe(
      'Revoked “CS team”: it opens nothing any more.',
    )

    // Its session ended with it, and the secret no longer signs in.
    await reader.reload()
    await reader.getByLabel('API key').waitFor()
    const again = await world.newPage()
    await again.goto(`${world.collector.url}/`)
    await again.getByLabel('API key').fill(secret)
    await again.getByRole('button', { name: 'Sign in' }).click()
    await again.locator('#key-error').waitFor()
    expect(await again.locator('header.top').count()).toBe(0)
  })

  it('says why the last active admin key cannot be revoked, and it stays active', async () => {
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(page, world.collector, '/dashboard/keys')
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'NPSKIT_ADMIN_KEY' }) })
    await row.getByRole('button', { name: 'Revoke NPSKIT_ADMIN_KEY' }).click()
    await row.getByRole('button', { name: 'Revoke key' }).click()
    await expect
      .poll(() => row.getByRole('alert').textContent())
      .toBe('Not revoked: this is the last active admin key; create another before revoking it')
    expect(await row.locator('td').nth(3).textContent()).toBe('Active')
    await expectAccessible(page, 'keys, the last admin key refused')
    await screenshot(page, 'keys-last-admin')
    expect(
      (
        await fetch(`${world.collector.url}/v1/keys`, {
          headers: { authorization: `Bearer ${world.collector.adminKey}` },
        })
      ).status,
    ).toBe(200)
  })

  for (const look of LOOKS) {
    it(`shows settings with the preview, a new survey and the keys without an accessibility violation (${look.name})`, async () => {
      const survey = await surveyOnAPage(`/settings-look-${look.name}`, {
        name: 'Checkout NPS',
        target: { nps: 40, deadline: '2027-06-30' },
        thanks: { action: 'link', url: 'https://acme.example/whats-new', label: 'See what’s new' },
        texts: { en: { send: 'Send it' } },
      })
      const page = await world.newPage(look.options)
      const violations = recordCspViolations(page)
      await openSettings(page, survey.id)
      await expectAccessible(page, `settings, ${look.name}`)
      await screenshot(page, `settings-${look.name}`)

      await openView(page, world.collector, '/dashboard/surveys/new')
      await expectAccessible(page, `new survey, ${look.name}`)
      await screenshot(page, `new-survey-${look.name}`)

      await openView(page, world.collector, '/dashboard/keys')
      await page.getByLabel('Name').fill(`Look ${look.name}`)
      await page.getByRole('button', { name: 'Create key' }).click()
      await page.locator('.new-secret').waitFor()
      await waitForIdle(page)
      await expectAccessible(page, `keys with a new secret, ${look.name}`)
      await screenshot(page, `keys-${look.name}`)
      expect(violations).toEqual([])
    })
  }
})

describe.skipIf(!requireChromium())('the settings preview without a widget build', () => {
  // A collector whose widget folder is missing: /nps-card.js answers 404, as before a first `pnpm build`.
  const folder = mkdtempSync(join(tmpdir(), 'npskit-no-widget-'))
  const world = useWorld({ collector: { env: { NPSKIT_WIDGET_DIR: join(folder, 'dist') } } })
  afterAll(() => rmSync(folder, { recursive: true, force: true }))

  it('says the widget is not built, rather than showing an empty frame or loading for ever', async () => {
    const survey = await createSurvey(world.collector, { name: 'Unbuilt' })
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/surveys/${survey.id}/settings`)
    const aside = page.locator('.preview-pane')
    await expect.poll(() => aside.getByRole('alert').textContent()).toContain('the widget is not built')
    expect(await aside.getAttribute('aria-busy')).toBeNull()
  })
})
