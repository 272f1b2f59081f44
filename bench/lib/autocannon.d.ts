// The part of autocannon's API the bench uses; the package ships no types.
declare module 'autocannon' {
  export interface Histogram {
    average: number
    mean: number
    stddev: number
    min: number
    max: number
    p50: number
    p90: number
    p97_5: number
    p99: number
    p99_9: number
  }
  export interface Result {
    requests: Histogram & { total: number; sent: number }
    latency: Histogram
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    '2xx': number
    statusCodeStats: Record<string, { count: number }>
  }
  export interface RequestParams {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
  }
  export interface Options {
    url: string
    connections?: number
    pipelining?: number
    duration?: number
    amount?: number
    timeout?: number
    method?: string
    headers?: Record<string, string>
    body?: string
    requests?: (RequestParams & {
      setupRequest?: (req: RequestParams, context: Record<string, unknown>) => RequestParams
      onResponse?: (status: number, body: string, context: Record<string, unknown>) => void
    })[]
  }
  function autocannon(options: Options): Promise<Result>
  export default autocannon
}
