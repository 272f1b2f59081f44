/**
 * The shell: sign-in until there is a session, then the header, the survey's tabs and global controls,
 * and the view the URL names. Views own their data; the shell only knows who is signed in.
 */
import { useEffect } from 'preact/hooks'
import { readSurvey, type Survey } from './api/client.ts'
import { Controls } from './components/controls.tsx'
import { lazyView } from './components/lazy.tsx'
import { Link } from './components/link.tsx'
import { Failure, Loading } from './components/states.tsx'
import { ThemeToggle } from './components/theme.tsx'
import { route, SURVEY_VIEWS, type SurveyView, surveyPath, visit, withQuery } from './router.ts'
import { isAdmin, loadSession, session, signOut } from './session.ts'
import { useApi } from './use-api.ts'
import { BreakdownView } from './views/breakdown.tsx'
import { CompareView } from './views/compare.tsx'
import { KeysView } from './views/keys.tsx'
import { NewSurveyView } from './views/new-survey.tsx'
import { OverviewView } from './views/overview.tsx'
import { ResponsesView } from './views/responses.tsx'
import { SignInView } from './views/sign-in.tsx'
import { SurveysView } from './views/surveys.tsx'
import { ThemesView } from './views/themes.tsx'

// Follow-up views load when first opened: the overview's bundle stays as small as its budget wants.
const CasesView = lazyView(() => import('./views/cases.tsx').then((m) => m.CasesView))
const CaseView = lazyView(() => import('./views/case.tsx').then((m) => m.CaseView))
const CaseLocator = lazyView(() => import('./views/case.tsx').then((m) => m.CaseLocator))
const AccountsView = lazyView(() => import('./views/accounts.tsx').then((m) => m.AccountsView))
const WebhooksView = lazyView(() => import('./views/webhooks.tsx').then((m) => m.WebhooksView))
const SettingsView = lazyView(() => import('./views/settings.tsx').then((m) => m.SettingsView))

const TAB_LABELS: Record<SurveyView, string> = {
  overview: 'Overview',
  breakdown: 'Breakdown',
  accounts: 'Accounts',
  compare: 'Compare',
  themes: 'Themes',
  responses: 'Responses',
  cases: 'Cases',
  webhooks: 'Webhooks',
  settings: 'Settings',
}

const VIEW_TITLES: Record<string, string> = {
  surveys: 'Surveys',
  'new-survey': 'New survey',
  keys: 'API keys',
  case: 'Case',
  'not-found': 'Not found',
}

export function App() {
  useEffect(() => {
    loadSession()
  }, [])
  const current = route.value
  useEffect(() => {
    const title =
      current.view !== 'case' && 'surveyId' in current ? TAB_LABELS[current.view] : VIEW_TITLES[current.view]
    document.title = `${title} · npskit`
  }, [current])

  if (session.value === undefined) return <Loading label="Opening the dashboard…" />
  if (session.value === null) return <SignInView />
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link class="brand" href={withQuery('/dashboard/surveys')}>
          npskit
        </Link>
        <nav aria-label="Main">
          <Link
            href={withQuery('/dashboard/surveys')}
            aria-current={current.view === 'surveys' ? 'page' : undefined}
          >
            Surveys
          </Link>
          {isAdmin.value ? (
            <Link
              href={withQuery('/dashboard/keys')}
              aria-current={current.view === 'keys' ? 'page' : undefined}
            >
              Keys
            </Link>
          ) : null}
        </nav>
        <div class="who">
          <ThemeToggle />
          <span class="muted">
            {session.value.keyName} <span class="badge">{session.value.scope}</span>
          </span>
          <button type="button" class="button ghost" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page />
      </main>
    </>
  )
}

function Page() {
  const current = route.value
  switch (current.view) {
    case 'surveys':
      return <SurveysView key={visit.value} />
    case 'new-survey':
      return isAdmin.value ? <NewSurveyView key={visit.value} /> : <AdminOnly />
    case 'keys':
      return isAdmin.value ? <KeysView key={visit.value} /> : <AdminOnly />
    case 'not-found':
      return (
        <div class="state empty">
          <h1>No such page</h1>
          <p>
            <Link href="/dashboard/surveys">Go to the surveys</Link>
          </p>
        </div>
      )
    case 'case':
      return current.surveyId ? (
        <SurveyFrame key={current.surveyId} surveyId={current.surveyId} view="case" caseId={current.caseId} />
      ) : (
        <CaseLocator key={current.caseId} caseId={current.caseId} />
      )
    default:
      return <SurveyFrame key={current.surveyId} surveyId={current.surveyId} view={current.view} />
  }
}

function AdminOnly() {
  return (
    <div class="state empty">
      <h1>Needs an admin key</h1>
      <p>You are signed in with a read key: it shows figures, responses and exports, but changes nothing.</p>
    </div>
  )
}

const loadSurvey = readSurvey
let early: { id: string; request: ReturnType<typeof loadSurvey> } | null = null

/**
 * Asks for the survey a bookmarked view names at boot, alongside the session check, so the view's
 * figures wait for one round trip less. Signed out, it answers 401 like the session does.
 */
export function prefetchSurvey() {
  const current = route.value
  if (!('surveyId' in current) || !current.surveyId) return
  early = { id: current.surveyId, request: loadSurvey(current.surveyId) }
  early.request.catch(() => {})
}

/** The survey: the request started at boot if it was for this one, else a new one. */
function surveyRequest(id: string) {
  const started = early?.id === id ? early.request : null
  early = null
  return started ?? loadSurvey(id)
}

/** The views without the period and answer filters: they show things, not answers of a period. */
const WITHOUT_CONTROLS = new Set<SurveyView | 'case'>(['settings', 'webhooks', 'case'])

/** A survey's views: its name, the tabs, the global controls, then the view. */
function SurveyFrame({
  surveyId,
  view,
  caseId,
}: {
  surveyId: string
  view: SurveyView | 'case'
  caseId?: string
}) {
  const survey = useApi(() => surveyRequest(surveyId), [surveyId])
  const tabs = SURVEY_VIEWS.filter((v) => v !== 'settings' || isAdmin.value)
  return (
    <>
      <div class="survey-head">
        <h1>{survey.data?.name ?? (survey.error ? 'Survey' : '\u00a0')}</h1>
        <nav class="tabs" aria-label="Survey views">
          {tabs.map((v) => (
            <Link
              key={v}
              href={withQuery(surveyPath(surveyId, v))}
              aria-current={v === view || (v === 'cases' && view === 'case') ? 'page' : undefined}
            >
              {TAB_LABELS[v]}
            </Link>
          ))}
        </nav>
      </div>
      {survey.error ? (
        <Failure error={survey.error} what="the survey" retry={survey.reload} />
      ) : survey.data ? (
        <>
          {WITHOUT_CONTROLS.has(view) ? null : (
            <Controls periodOnly={view === 'cases'} lifetimeDays={survey.data.responseLifetimeDays} />
          )}
          <SurveyPage
            key={visit.value}
            survey={survey.data}
            view={view}
            caseId={caseId}
            onSaved={survey.reload}
          />
        </>
      ) : (
        <Loading />
      )}
    </>
  )
}

function SurveyPage({
  survey,
  view,
  caseId,
  onSaved,
}: {
  survey: Survey
  view: SurveyView | 'case'
  caseId?: string | undefined
  onSaved(): void
}) {
  switch (view) {
    case 'overview':
      return <OverviewView survey={survey} />
    case 'breakdown':
      return <BreakdownView survey={survey} />
    case 'accounts':
      return <AccountsView survey={survey} />
    case 'compare':
      return <CompareView survey={survey} />
    case 'themes':
      return <ThemesView survey={survey} />
    case 'responses':
      return <ResponsesView survey={survey} />
    case 'cases':
      return <CasesView survey={survey} />
    case 'case':
      return <CaseView survey={survey} caseId={caseId!} />
    case 'webhooks':
      return <WebhooksView survey={survey} />
    case 'settings':
      return isAdmin.value ? <SettingsView survey={survey} onSaved={onSaved} /> : <AdminOnly />
  }
}
