import { type CaseRule, defaultSurveySettings } from '@npskit/shared'
import { describe, expect, it } from 'vitest'
import type { StoredResponse, Survey } from '../backend/backend.ts'
import { storedAnswer } from '../testing.ts'
import { caseFor, hasSegments, metadataText, ruleMatches } from './rules.ts'

const AT = Date.parse('2026-12-01T10:00:00Z')

const answer = (fields: Partial<StoredResponse>) => storedAnswer({ createdAt: AT, ...fields })

const surveyWith = (rules: CaseRule[]): Survey => ({
  id: 'srv_rules',
  settings: { ...defaultSurveySettings('Rules'), cases: { rules } },
  createdAt: AT,
  updatedAt: AT,
})

describe('case rules', () => {
  it('open a case for every detractor by default, due three days later', () => {
    const survey: Survey = { id: 'srv_d', settings: defaultSurveySettings('D'), createdAt: AT, updatedAt: AT }
    expect(caseFor(survey, answer({ id: 'a', score: 6 }), AT)).toEqual({
      surveyId: 'srv_d',
      responseId: 'a',
      assignee: null,
      dueAt: AT + 72 * 3_600_000,
      tags: [],
      openedBy: 'rule: Every detractor',
    })
    expect(caseFor(survey, answer({ id: 'b', score: 7 }), AT)).toBeUndefined()
  })

  it('open nothing for a survey without rules (made before cases existed)', () => {
    const { cases: _, ...settings } = defaultSurveySettings('Old')
    const survey: Survey = { id: 'srv_old', settings, createdAt: AT, updatedAt: AT }
    expect(caseFor(survey, answer({ score: 0 }), AT)).toBeUndefined()
  })

  it('match only when every condition holds: score, category, segment, contact', () => {
    const rule: CaseRule = {
      name: 'Enterprise asking for contact',
      when: {
        maxScore: 8,
        categories: ['passive', 'detractor'],
        segments: [['plan', 'enterprise']],
        contactRequested: true,
      },
    }
    const matching = answer({ score: 8, metadata: { plan: 'enterprise' }, contact: { email: null } })
    expect(ruleMatches(rule, matching)).toBe(true)
    expect(ruleMatches(rule, { ...matching, score: 9 })).toBe(false)
    expect(ruleMatches(rule, { ...matching, metadata: { plan: 'pro' } })).toBe(false)
    expect(ruleMatches(rule, { ...matching, contact: null })).toBe(false)
    expect(ruleMatches({ name: 'all', when: {} }, answer({ score: 10 }))).toBe(true)
  })

  it('compare segment values as text, as analytics filters do', () => {
    expect(metadataText(42)).toBe('42')
    expect(metadataText(4.5)).toBe('4.5')
    expect(metadataText(true)).toBe('true')
    expect(
      hasSegments({ seats: 12, trial: false }, [
        ['seats', '12'],
        ['trial', 'false'],
      ]),
    ).toBe(true)
    expect(hasSegments(null, [['seats', '12']])).toBe(false)
  })

  it('take the assignee from the answer’s metadata when the rule says so, else the rule’s own', () => {
    const survey = surveyWith([
      {
        name: 'AM',
        when: { categories: ['detractor'] },
        assignee: 'support@acme.test',
        assigneeFrom: 'accountManager',
        tags: ['churn-risk'],
      },
    ])
    const withManager = caseFor(
      survey,
      answer({ score: 2, metadata: { accountManager: 'dana@acme.test' } }),
      AT,
    )
    expect(withManager).toMatchObject({ assignee: 'dana@acme.test', tags: ['churn-risk'], dueAt: null })
    expect(caseFor(survey, answer({ score: 2, metadata: { plan: 'pro' } }), AT)?.assignee).toBe(
      'support@acme.test',
    )
  })

  it('use the first rule that matches', () => {
    const survey = surveyWith([
      { name: 'Zero', when: { maxScore: 0 }, assignee: 'ceo' },
      { name: 'Detractor', when: { categories: ['detractor'] }, assignee: 'support' },
    ])
    expect(caseFor(survey, answer({ score: 0 }), AT)?.openedBy).toBe('rule: Zero')
    expect(caseFor(survey, answer({ score: 5 }), AT)?.openedBy).toBe('rule: Detractor')
  })
})
