import { describe, expect, it } from 'vitest'
import { casePath, navigate, parsePath, surveyPath, withQuery } from './router.ts'

describe('the follow-up views’ addresses', () => {
  it('reads the cases, a case and the webhooks with their survey from ?survey=', () => {
    expect(parsePath('/dashboard/cases', '?survey=srv_1&status=open')).toEqual({
      view: 'cases',
      surveyId: 'srv_1',
    })
    expect(parsePath('/dashboard/webhooks/', '?survey=srv_1')).toEqual({
      view: 'webhooks',
      surveyId: 'srv_1',
    })
    expect(parsePath('/dashboard/cases/case_A%2Fb', '?survey=srv_1')).toEqual({
      view: 'case',
      caseId: 'case_A/b',
      surveyId: 'srv_1',
    })
  })

  it('opens a case link that lost its survey, and sends a list without one to the surveys', () => {
    expect(parsePath('/dashboard/cases/case_1', '')).toEqual({
      view: 'case',
      caseId: 'case_1',
      surveyId: null,
    })
    expect(parsePath('/dashboard/cases', '')).toEqual({ view: 'surveys' })
    expect(parsePath('/dashboard/webhooks', '?survey=')).toEqual({ view: 'surveys' })
  })

  it('keeps the cases and webhooks out of the /surveys/… paths', () => {
    expect(parsePath('/dashboard/surveys/srv_1/cases')).toEqual({ view: 'not-found' })
    expect(parsePath('/dashboard/surveys/srv_1/webhooks')).toEqual({ view: 'not-found' })
    expect(parsePath('/dashboard/cases/case_1/more', '?survey=srv_1')).toEqual({ view: 'not-found' })
  })

  it('writes the addresses the collector’s emails link to', () => {
    expect(surveyPath('srv 1', 'cases')).toBe('/dashboard/cases?survey=srv%201')
    expect(surveyPath('srv_1', 'webhooks')).toBe('/dashboard/webhooks?survey=srv_1')
    expect(casePath('case_1', 'srv_1')).toBe('/dashboard/cases/case_1?survey=srv_1')
  })

  it('keeps the global period and filters on a link that has a query of its own, and drops the view’s own', () => {
    navigate('/dashboard/surveys/srv_1/responses?period=30d&tz=UTC&q=slow&segment.plan=pro', {
      replace: true,
    })
    expect(withQuery(surveyPath('srv_1', 'cases'))).toBe(
      '/dashboard/cases?survey=srv_1&period=30d&tz=UTC&segment.plan=pro',
    )
    expect(withQuery('/dashboard/keys')).toBe('/dashboard/keys?period=30d&tz=UTC&segment.plan=pro')
  })
})
