/** @npskit/shared: the wire schemas, the NPS math and the texts every npskit package shares. */
export * from './i18n.ts'
export * from './link-texts.ts'
export * from './nps.ts'
export * from './origins.ts'
export * from './schemas.ts'
export * from './url-rules.ts'
