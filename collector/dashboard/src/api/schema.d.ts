// Generated from /openapi.json by dashboard/generate-api.ts: do not edit by hand.
export interface paths {
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The dashboard: sign in, or the surveys when signed in */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description not modified (If-None-Match) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A file of the widget build: nps.js (the loader), the card, the ESM entry */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    file: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the file */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description not modified (If-None-Match) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dashboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The dashboard’s surveys */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description not modified (If-None-Match) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dashboard/{view}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A view of the dashboard (routed in the browser): surveys, a survey’s overview, breakdown, compare, themes, responses, settings; keys */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    view: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description not modified (If-None-Match) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dashboard/assets/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A file of the dashboard build (content-hashed: cached for a year) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    file: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the file */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description not modified (If-None-Match) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dashboard/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The card preview the settings view frames (the widget’s own build) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description not modified (If-None-Match) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API as a page (Swagger UI): read it, enter a key under Authorize, try a request */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs/assets/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A file of the /docs page (Swagger UI and its init script) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    file: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the file */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description not modified (If-None-Match) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health: answers while the collector serves requests */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description up */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics: requests, latencies, the write queue, group-commit sizes, storage */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the Prometheus text format */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document (OpenAPI 3.1), generated from the routes’ own schemas */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the OpenAPI document */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            openapi: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/s/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The survey link page: the card full-page (`?t=` token, `?score=` chosen, `?locale=`)
         * @description HTML. Takes `t` (a personal link’s token), `score` (0–10, shown chosen; recorded only when the visitor confirms it) and `locale`; other parameters (a mail tool’s tracking) are ignored. An unknown survey answers 404, an expired link 410, a changed one 403, each as a readable page.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description a link that is not valid (a page) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description no such survey (a page) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description an expired link (a page) */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description too many requests from this client (a page; see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/benchmarks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The published industry NPS figures the collector ships, each with its source */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description every row of the table */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Benchmarks"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cases/{caseId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a case with its answer and log */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the case id */
                    caseId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the case */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CaseWithLog"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a case’s status, assignee, due time or tags (each change is logged) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the case id */
                    caseId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CasePatch"];
                };
            };
            responses: {
                /** @description the changed case */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CaseWithLog"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `body_too_large` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unsupported_media_type` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/cases/{caseId}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a note to a case’s log (we called the customer, …) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the case id */
                    caseId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CaseNote"];
                };
            };
            responses: {
                /** @description the case with the note */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CaseWithLog"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `body_too_large` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unsupported_media_type` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List keys, revoked ones included */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description every key */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["ApiKey"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a key with a scope, admin by default (its secret is in this answer only) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ApiKeyCreate"];
                };
            };
            responses: {
                /** @description the key, with its secret in `key` */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiKeyCreated"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `body_too_large` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unsupported_media_type` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a key (not the last active admin key); its dashboard sessions end at once */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the key id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the revoked key */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiKey"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `last_key`: the last active admin key cannot be revoked; `too_many_endpoints`, `endpoint_disabled` (webhooks) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/respondents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Erase one respondent named in the query: any id ever stored, also one no path can carry */
        delete: {
            parameters: {
                query: {
                    /** @description the respondent id the answers carry */
                    respondentId: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description what was erased */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deleted: {
                                cases: number;
                                deliveries: number;
                                emails: number;
                                events: number;
                                responses: number;
                            };
                            respondentId: string;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/respondents/{respondentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Erase every answer and event of one respondent, in every survey */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the respondent id the answers carry */
                    respondentId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description what was erased */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deleted: {
                                cases: number;
                                deliveries: number;
                                emails: number;
                                events: number;
                                responses: number;
                            };
                            respondentId: string;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/respondents/{respondentId}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every answer of one respondent in every survey, oldest first */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description at most this many items, 1–1000 (default 100) */
                    limit?: string;
                };
                header?: never;
                path: {
                    /** @description the respondent id the answers carry */
                    respondentId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description one page of answers */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["RespondentAnswer"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in to the dashboard with a key: sets the npskit_session cookie
         * @description The cookie is `HttpOnly; SameSite=Strict; Path=/` (and `Secure` over https) and lasts NPSKIT_SESSION_HOURS. Wrong keys spend the same per-address allowance as a wrong Bearer key.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SessionCreate"];
                };
            };
            responses: {
                /** @description signed in */
                201: {
                    headers: {
                        /** @description npskit_session=<token>; HttpOnly; SameSite=Strict; Path=/; Max-Age=… */
                        "Set-Cookie"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `body_too_large` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unsupported_media_type` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who is signed in: the key name, its scope and when the session ends */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description signed in */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Sign out: ends the session on the server and clears the cookie */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description signed out */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List surveys, oldest first */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description at most this many items, 1–1000 (default 100) */
                    limit?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of surveys */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Survey"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a survey (only name is required; every other setting has a default) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SurveyCreate"];
                };
            };
            responses: {
                /** @description the survey with its id */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Survey"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `body_too_large` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unsupported_media_type` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a survey */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the survey */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Survey"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a survey with all its answers and events */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change settings (nested objects merge) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            /** @description any settings; nested objects (followUp, display, theme) merge key by key */
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SurveyPatch"];
                };
            };
            responses: {
                /** @description the changed survey */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Survey"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `body_too_large` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unsupported_media_type` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/surveys/{id}/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Per-account NPS with its interval, change and status, worst first */
        get: {
            parameters: {
                query?: {
                    /** @description answers: every answer; latest: each respondent’s latest answer; respondents: each respondent weighs 1, shared evenly by their answers */
                    count?: "answers" | "latest" | "respondents";
                    /** @description true: count only current answers, those of the survey’s last responseLifetimeDays days up to now, within from/to (a from/to outside that counts nothing); false: every answer of from/to. Default: the survey’s countCurrentOnly setting (false unless set). The answer’s `counted` says which was used */
                    current?: "true" | "false";
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description only answers from this kind of device */
                    device?: "desktop" | "mobile" | "tablet";
                    /** @description answers received at or after this time; ISO 8601, read in tz without an offset */
                    from?: string;
                    /** @description true: count only the latest answer of each respondent (its latest within the counted window: with current=true, a respondent whose latest answer has expired counts no longer) */
                    latestPerRespondent?: "true" | "false";
                    /** @description at most this many items, 1–500 (default 50) */
                    limit?: string;
                    /** @description only answers in this locale */
                    locale?: string;
                    /** @description only answers sent from this page path */
                    path?: string;
                    /**
                     * @description Repeatable family: `segment.<key>=<value>` keeps answers whose metadata `<key>` equals `<value>` (its JSON text for numbers and booleans). Keys use 1–64 letters, digits and _ . : -; at most 20.
                     * @example pro
                     */
                    "segment.{key}"?: string;
                    /** @description answers received before this time (exclusive); ISO 8601, read in tz without an offset */
                    to?: string;
                    /** @description IANA time zone in which dates and times without an offset are read */
                    tz?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the accounts, worst first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Accounts"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `last_key`: the last active admin key cannot be revoked; `too_many_endpoints`, `endpoint_disabled` (webhooks) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/accounts/{account}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every answer of one account in this survey, oldest first */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description at most this many items, 1–1000 (default 100) */
                    limit?: string;
                };
                header?: never;
                path: {
                    /** @description the account (metadata value, as text) */
                    account: string;
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description one page of answers */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["StoredResponse"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `last_key`: the last active admin key cannot be revoked; `too_many_endpoints`, `endpoint_disabled` (webhooks) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/benchmark": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where the survey stands against the published figures for its industry */
        get: {
            parameters: {
                query?: {
                    /** @description true: count only current answers, those of the survey’s last responseLifetimeDays days up to now, within from/to (a from/to outside that counts nothing); false: every answer of from/to. Default: the survey’s countCurrentOnly setting (false unless set). The answer’s `counted` says which was used */
                    current?: "true" | "false";
                    /** @description only answers from this kind of device */
                    device?: "desktop" | "mobile" | "tablet";
                    /** @description answers received at or after this time; ISO 8601, read in tz without an offset */
                    from?: string;
                    /** @description true: count only the latest answer of each respondent (its latest within the counted window: with current=true, a respondent whose latest answer has expired counts no longer) */
                    latestPerRespondent?: "true" | "false";
                    /** @description only answers in this locale */
                    locale?: string;
                    /** @description only answers sent from this page path */
                    path?: string;
                    /**
                     * @description Repeatable family: `segment.<key>=<value>` keeps answers whose metadata `<key>` equals `<value>` (its JSON text for numbers and booleans). Keys use 1–64 letters, digits and _ . : -; at most 20.
                     * @example pro
                     */
                    "segment.{key}"?: string;
                    /** @description answers received before this time (exclusive); ISO 8601, read in tz without an offset */
                    to?: string;
                    /** @description IANA time zone in which dates and times without an offset are read */
                    tz?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description our interval against each benchmark row of the survey’s industry */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BenchmarkStanding"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/cases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The inbox: a survey’s cases, the most recently opened first, filtered and paged
         * @description from/to select by when the answer was received.
         */
        get: {
            parameters: {
                query?: {
                    /** @description only cases assigned to exactly this */
                    assignee?: string;
                    /** @description only cases of answers in this category */
                    category?: "promoter" | "passive" | "detractor";
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description answers received at or after this time; ISO 8601, read in tz without an offset */
                    from?: string;
                    /** @description at most this many items, 1–200 (default 50) */
                    limit?: string;
                    /** @description true: only open or contacted cases past their due time */
                    overdue?: "true" | "false";
                    /** @description only cases in these statuses, comma-separated */
                    status?: string;
                    /** @description answers received before this time (exclusive); ISO 8601, read in tz without an offset */
                    to?: string;
                    /** @description IANA time zone in which dates and times without an offset are read */
                    tz?: string;
                    /** @description true: only cases nobody is assigned to */
                    unassigned?: "true" | "false";
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of cases */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Case"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Open a case for an answer by hand */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CaseOpen"];
                };
            };
            responses: {
                /** @description the new case */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CaseWithLog"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `last_key`: the last active admin key cannot be revoked; `too_many_endpoints`, `endpoint_disabled` (webhooks) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `body_too_large` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unsupported_media_type` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/cases/figures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow-up figures: detractors with a case, share contacted, median times to contact and resolution, overdue — overall and per assignee
         * @description Over the answers received from `from` to `to` (default: all time).
         */
        get: {
            parameters: {
                query?: {
                    /** @description answers received at or after this time; ISO 8601, read in tz without an offset */
                    from?: string;
                    /** @description answers received before this time (exclusive); ISO 8601, read in tz without an offset */
                    to?: string;
                    /** @description IANA time zone in which dates and times without an offset are read */
                    tz?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the figures */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            byAssignee: {
                                assignee: string | null;
                                figures: {
                                    cases: number;
                                    contacted: number;
                                    contactedShare: number | null;
                                    dismissed: number;
                                    medianHoursToFirstContact: number | null;
                                    medianHoursToResolution: number | null;
                                    open: number;
                                    overdue: number;
                                    resolved: number;
                                };
                            }[];
                            detractors: {
                                /** @description detractor answers received in the period */
                                answers: number;
                                share: number | null;
                                withCase: number;
                            };
                            from: string | null;
                            overall: {
                                cases: number;
                                contacted: number;
                                contactedShare: number | null;
                                dismissed: number;
                                medianHoursToFirstContact: number | null;
                                medianHoursToResolution: number | null;
                                open: number;
                                overdue: number;
                                resolved: number;
                            };
                            to: string | null;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What changed since a token: every answer created, merged or imported (as it is now) and every erasure, in order */
        get: {
            parameters: {
                query?: {
                    /** @description at most this many items, 1–1000 (default 100) */
                    limit?: string;
                    /** @description the `next` of the previous read; none: from the beginning */
                    since?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the changes after since, oldest first; fewer than limit: nothing more just now */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Change"][];
                            /** @description where to resume: pass it as since next time; never null, the same token when nothing changed */
                            next: string;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The card was shown or dismissed (the denominators of the response rate) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["EventSubmission"];
                    "text/plain": string;
                };
            };
            responses: {
                /** @description accepted */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            accepted: true;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `body_too_large` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unsupported_media_type` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        /** CORS preflight (POST) for the survey's allowed origins */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description allowed: Access-Control-Allow-* headers */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/lifecycle-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every retention run and deletion by filter of the survey, the newest first */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description at most this many items, 1–100 (default 20) */
                    limit?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of runs */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["LifecycleRun"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/link-responses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An answer from the survey link page (source `link`); with a token, its one answer
         * @description Only from the collector’s own origin (the link page’s). With `token` the answer’s id, respondentId and metadata come from the token, so a second visit edits the same answer; without one (the open link) `id` is required. 403 `link_invalid` or `link_expired` for a token that cannot answer.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["LinkAnswer"];
                    "text/plain": string;
                };
            };
            responses: {
                /** @description merged into the link’s answer */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            category: "promoter" | "passive" | "detractor";
                        };
                    };
                };
                /** @description stored, first time */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            category: "promoter" | "passive" | "detractor";
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `body_too_large` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unsupported_media_type` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make a personal survey link (respondent, metadata, expiry) signed by the collector */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SurveyLinkCreate"];
                };
            };
            responses: {
                /** @description the link */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SurveyLink"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `body_too_large` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unsupported_media_type` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/links/email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The email snippet: the 0–10 row as email-safe HTML, each number a link to the page
         * @description A table with inline styles only, for the body of an email. With `token` the numbers open that personal link; without, the survey’s open link. A number opens the page with that score chosen; nothing is recorded until the visitor confirms it there.
         */
        get: {
            parameters: {
                query?: {
                    /** @description the snippet’s language (else the link’s, else the survey’s) */
                    locale?: string;
                    /** @description a personal link’s token */
                    token?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the snippet */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/metadata-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The metadata keys a survey’s answers carry, and those its settings declare */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the keys to break the figures down by (by=metadata.<key>) or filter on (segment.<key>) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the survey’s metadataKeys setting; null when it declares none */
                            declared: string[] | null;
                            /** @description seen and declared together, each once, sorted by code point */
                            keys: string[];
                            /** @description every key answers were admitted with (also after those answers went): the CSV export’s columns */
                            seen: string[];
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/movers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Respondents whose category fell (or rose) between consecutive answers */
        get: {
            parameters: {
                query?: {
                    /** @description respondent: consecutive answers of a respondent; account: consecutive answers of a respondent within one account */
                    by?: "respondent" | "account";
                    /** @description true: count only current answers, those of the survey’s last responseLifetimeDays days up to now, within from/to (a from/to outside that counts nothing); false: every answer of from/to. Default: the survey’s countCurrentOnly setting (false unless set). The answer’s `counted` says which was used */
                    current?: "true" | "false";
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description only answers from this kind of device */
                    device?: "desktop" | "mobile" | "tablet";
                    /** @description down: the category fell; up: it rose */
                    direction?: "down" | "up";
                    /** @description answers received at or after this time; ISO 8601, read in tz without an offset */
                    from?: string;
                    /** @description true: count only the latest answer of each respondent (its latest within the counted window: with current=true, a respondent whose latest answer has expired counts no longer) */
                    latestPerRespondent?: "true" | "false";
                    /** @description at most this many items, 1–1000 (default 100) */
                    limit?: string;
                    /** @description only answers in this locale */
                    locale?: string;
                    /** @description only answers sent from this page path */
                    path?: string;
                    /**
                     * @description Repeatable family: `segment.<key>=<value>` keeps answers whose metadata `<key>` equals `<value>` (its JSON text for numbers and booleans). Keys use 1–64 letters, digits and _ . : -; at most 20.
                     * @example pro
                     */
                    "segment.{key}"?: string;
                    /** @description answers received before this time (exclusive); ISO 8601, read in tz without an offset */
                    to?: string;
                    /** @description IANA time zone in which dates and times without an offset are read */
                    tz?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description one page of movers */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Movers"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `last_key`: the last active admin key cannot be revoked; `too_many_endpoints`, `endpoint_disabled` (webhooks) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/nps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The NPS Summary of the answers that match the filters */
        get: {
            parameters: {
                query?: {
                    /** @description true: count only current answers, those of the survey’s last responseLifetimeDays days up to now, within from/to (a from/to outside that counts nothing); false: every answer of from/to. Default: the survey’s countCurrentOnly setting (false unless set). The answer’s `counted` says which was used */
                    current?: "true" | "false";
                    /** @description only answers from this kind of device */
                    device?: "desktop" | "mobile" | "tablet";
                    /** @description answers received at or after this time; ISO 8601, read in tz without an offset */
                    from?: string;
                    /** @description true: count only the latest answer of each respondent (its latest within the counted window: with current=true, a respondent whose latest answer has expired counts no longer) */
                    latestPerRespondent?: "true" | "false";
                    /** @description only answers in this locale */
                    locale?: string;
                    /** @description only answers sent from this page path */
                    path?: string;
                    /**
                     * @description Repeatable family: `segment.<key>=<value>` keeps answers whose metadata `<key>` equals `<value>` (its JSON text for numbers and booleans). Keys use 1–64 letters, digits and _ . : -; at most 20.
                     * @example pro
                     */
                    "segment.{key}"?: string;
                    /** @description answers received before this time (exclusive); ISO 8601, read in tz without an offset */
                    to?: string;
                    /** @description IANA time zone in which dates and times without an offset are read */
                    tz?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the Summary, and the window it counted */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["NpsAnswer"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/nps/breakdown": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A Summary per locale, path, device or metadata value, each against the rest of the answers */
        get: {
            parameters: {
                query: {
                    /** @description locale, path, device or metadata.<key> */
                    by: string;
                    /** @description true: count only current answers, those of the survey’s last responseLifetimeDays days up to now, within from/to (a from/to outside that counts nothing); false: every answer of from/to. Default: the survey’s countCurrentOnly setting (false unless set). The answer’s `counted` says which was used */
                    current?: "true" | "false";
                    /** @description only answers from this kind of device */
                    device?: "desktop" | "mobile" | "tablet";
                    /** @description answers received at or after this time; ISO 8601, read in tz without an offset */
                    from?: string;
                    /** @description true: count only the latest answer of each respondent (its latest within the counted window: with current=true, a respondent whose latest answer has expired counts no longer) */
                    latestPerRespondent?: "true" | "false";
                    /** @description at most this many groups per page (default 100) */
                    limit?: string;
                    /** @description only answers in this locale */
                    locale?: string;
                    /** @description groups with fewer answers are neither listed nor compared (default 1); their answers stay in every other group’s rest */
                    minCount?: string;
                    /** @description skip this many groups: the `next` of the previous page */
                    offset?: string;
                    /** @description desc: largest first (default); asc: smallest first */
                    order?: "desc" | "asc";
                    /** @description only answers sent from this page path */
                    path?: string;
                    /**
                     * @description Repeatable family: `segment.<key>=<value>` keeps answers whose metadata `<key>` equals `<value>` (its JSON text for numbers and booleans). Keys use 1–64 letters, digits and _ . : -; at most 20.
                     * @example pro
                     */
                    "segment.{key}"?: string;
                    /** @description n: by number of answers (default); nps: by the point estimate; lower: by the lower end of the 95% interval, the fair ranking when groups differ in size */
                    sort?: "n" | "nps" | "lower";
                    /** @description answers received before this time (exclusive); ISO 8601, read in tz without an offset */
                    to?: string;
                    /** @description IANA time zone in which dates and times without an offset are read */
                    tz?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description one page of groups in the order asked */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Breakdown"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/nps/compare": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Two periods compared: both Summaries, the difference, z and p */
        get: {
            parameters: {
                query: {
                    /** @description start of period a; ISO 8601, read in tz without an offset */
                    aFrom: string;
                    /** @description end of period a (exclusive); ISO 8601, read in tz without an offset */
                    aTo: string;
                    /** @description start of period b; ISO 8601, read in tz without an offset */
                    bFrom: string;
                    /** @description end of period b (exclusive); ISO 8601, read in tz without an offset */
                    bTo: string;
                    /** @description true: count only current answers, those of the survey’s last responseLifetimeDays days up to now, within from/to (a from/to outside that counts nothing); false: every answer of from/to. Default: the survey’s countCurrentOnly setting (false unless set). The answer’s `counted` says which was used */
                    current?: "true" | "false";
                    /** @description only answers from this kind of device */
                    device?: "desktop" | "mobile" | "tablet";
                    /** @description true: count only the latest answer of each respondent (its latest within the counted window: with current=true, a respondent whose latest answer has expired counts no longer) */
                    latestPerRespondent?: "true" | "false";
                    /** @description only answers in this locale */
                    locale?: string;
                    /** @description only answers sent from this page path */
                    path?: string;
                    /**
                     * @description Repeatable family: `segment.<key>=<value>` keeps answers whose metadata `<key>` equals `<value>` (its JSON text for numbers and booleans). Keys use 1–64 letters, digits and _ . : -; at most 20.
                     * @example pro
                     */
                    "segment.{key}"?: string;
                    /** @description IANA time zone in which dates and times without an offset are read */
                    tz?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the comparison */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Comparison"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/nps/trend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A Summary per period (day, week or month in tz), optionally rolling */
        get: {
            parameters: {
                query?: {
                    /** @description true: count only current answers, those of the survey’s last responseLifetimeDays days up to now, within from/to (a from/to outside that counts nothing); false: every answer of from/to. Default: the survey’s countCurrentOnly setting (false unless set). The answer’s `counted` says which was used */
                    current?: "true" | "false";
                    /** @description only answers from this kind of device */
                    device?: "desktop" | "mobile" | "tablet";
                    /** @description answers received at or after this time; ISO 8601, read in tz without an offset */
                    from?: string;
                    /** @description one point per calendar day, ISO week or month in tz */
                    interval?: "day" | "week" | "month";
                    /** @description true: count only the latest answer of each respondent (its latest within the counted window: with current=true, a respondent whose latest answer has expired counts no longer) */
                    latestPerRespondent?: "true" | "false";
                    /** @description only answers in this locale */
                    locale?: string;
                    /** @description only answers sent from this page path */
                    path?: string;
                    /**
                     * @description Repeatable family: `segment.<key>=<value>` keeps answers whose metadata `<key>` equals `<value>` (its JSON text for numbers and booleans). Keys use 1–64 letters, digits and _ . : -; at most 20.
                     * @example pro
                     */
                    "segment.{key}"?: string;
                    /** @description answers received before this time (exclusive); ISO 8601, read in tz without an offset */
                    to?: string;
                    /** @description IANA time zone in which dates and times without an offset are read */
                    tz?: string;
                    /** @description each point is a rolling window of this many days ending where its period ends */
                    window?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description one point per period */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Trend"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/responses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Page through the answers (json) or stream them all out (csv, ndjson), filtered as the figures are, oldest or newest first */
        get: {
            parameters: {
                query?: {
                    /** @description only answers of this category */
                    category?: "promoter" | "passive" | "detractor";
                    /** @description true: count only current answers, those of the survey’s last responseLifetimeDays days up to now, within from/to (a from/to outside that counts nothing); false: every answer of from/to. Default: the survey’s countCurrentOnly setting (false unless set). The answer’s `counted` says which was used */
                    current?: "true" | "false";
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description only answers from this kind of device */
                    device?: "desktop" | "mobile" | "tablet";
                    /** @description json: one page (limit, cursor); csv, ndjson: every answer, streamed */
                    format?: "json" | "csv" | "ndjson";
                    /** @description answers received at or after this time; ISO 8601, read in tz without an offset */
                    from?: string;
                    /** @description true: count only the latest answer of each respondent (its latest within the counted window: with current=true, a respondent whose latest answer has expired counts no longer) */
                    latestPerRespondent?: "true" | "false";
                    /** @description at most this many items, 1–1000 (default 100) */
                    limit?: string;
                    /** @description only answers in this locale */
                    locale?: string;
                    /** @description only answers scoring at most this, 0–10 (maxScore=minScore: one score) */
                    maxScore?: string;
                    /** @description only answers scoring at least this, 0–10 */
                    minScore?: string;
                    /** @description oldest first (default; the order of an export) or newest first */
                    order?: "oldest" | "newest";
                    /** @description only answers sent from this page path */
                    path?: string;
                    /** @description only answers whose comment contains this text, ignoring case; a plain substring (% and _ are no wildcards) */
                    q?: string;
                    /**
                     * @description Repeatable family: `segment.<key>=<value>` keeps answers whose metadata `<key>` equals `<value>` (its JSON text for numbers and booleans). Keys use 1–64 letters, digits and _ . : -; at most 20.
                     * @example pro
                     */
                    "segment.{key}"?: string;
                    /** @description answers received before this time (exclusive); ISO 8601, read in tz without an offset */
                    to?: string;
                    /** @description IANA time zone in which dates and times without an offset are read */
                    tz?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of answers, or every answer as a file */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ResponsePage"];
                        "application/x-ndjson": string;
                        "text/csv": string;
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Send an answer; a repeat with the same id merges into it (the follow-up comment) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ResponseSubmission"];
                    "text/plain": string;
                };
            };
            responses: {
                /** @description merged into the answer with this id */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AnswerAck"];
                    };
                };
                /** @description stored, first time */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AnswerAck"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `body_too_large` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unsupported_media_type` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Delete every answer a filter selects (a period, a segment, …; at least one), in batches; dryRun=true first says how many */
        delete: {
            parameters: {
                query?: {
                    /** @description only answers from this kind of device */
                    device?: "desktop" | "mobile" | "tablet";
                    /** @description true: answer how many answers would be deleted, and delete none */
                    dryRun?: "true" | "false";
                    /** @description answers received at or after this time; ISO 8601, read in tz without an offset */
                    from?: string;
                    /** @description only answers in this locale */
                    locale?: string;
                    /** @description only answers sent from this page path */
                    path?: string;
                    /**
                     * @description Repeatable family: `segment.<key>=<value>` keeps answers whose metadata `<key>` equals `<value>` (its JSON text for numbers and booleans). Keys use 1–64 letters, digits and _ . : -; at most 20.
                     * @example pro
                     */
                    "segment.{key}"?: string;
                    /** @description answers received before this time (exclusive); ISO 8601, read in tz without an offset */
                    to?: string;
                    /** @description IANA time zone in which dates and times without an offset are read */
                    tz?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description what was (or would be) deleted */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description answers the filter selects (dry run) or deleted */
                            answers: number;
                            dryRun: boolean;
                            run: components["schemas"]["LifecycleRun"] & unknown;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** CORS preflight (POST) for the survey's allowed origins */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description allowed: Access-Control-Allow-* headers */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/responses/{responseId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete one answer, with its case and whatever about it has not gone out; every count stays exact */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                    /** @description the answer’s id */
                    responseId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the answer is gone */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deleted: {
                                cases: number;
                                deliveries: number;
                                emails: number;
                                events: number;
                                responses: number;
                            };
                            id: string;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/responses/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import answers: all rows or none, idempotent by id, createdAt kept */
        post: {
            parameters: {
                query?: {
                    /** @description the body’s format, when its Content-Type does not say */
                    format?: "csv" | "ndjson";
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/x-ndjson": components["schemas"]["ImportRow"];
                    "text/csv": string;
                };
            };
            responses: {
                /** @description every row was written (but those the retention policy left out) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created: number;
                            imported: number;
                            /** @description with a retention policy: rows already older than its period, left out (delete) or written anonymised */
                            retention?: {
                                anonymised: number;
                                deleted: number;
                            };
                            updated: number;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `body_too_large` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unsupported_media_type` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/retention": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The survey’s retention policy, how many answers its next run would touch (a dry run), and its last run */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the dry run */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description a run now touches answers created before this */
                            cutoff: string | null;
                            /** @description answers a run now would delete (delete) or anonymise (anonymise: those not yet anonymous) */
                            due: number;
                            lastRun: components["schemas"]["LifecycleRun"];
                            /** @description null: answers are kept forever */
                            policy: {
                                /** @enum {string} */
                                action: "delete" | "anonymise";
                                days: number;
                                keepMetadata?: string[];
                            } | null;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/retention/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Apply the survey’s retention policy now (the job also runs it at start-up and every hour) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the run, as recorded */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LifecycleRun"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `last_key`: the last active admin key cannot be revoked; `too_many_endpoints`, `endpoint_disabled` (webhooks) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/target": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The NPS target: where it stands over the answers’ lifetime, and a projection */
        get: {
            parameters: {
                query?: {
                    /** @description true: count only current answers, those of the survey’s last responseLifetimeDays days up to now, within from/to (a from/to outside that counts nothing); false: every answer of from/to. Default: the survey’s countCurrentOnly setting (false unless set). The answer’s `counted` says which was used */
                    current?: "true" | "false";
                    /** @description only answers from this kind of device */
                    device?: "desktop" | "mobile" | "tablet";
                    /** @description true: count only the latest answer of each respondent (its latest within the counted window: with current=true, a respondent whose latest answer has expired counts no longer) */
                    latestPerRespondent?: "true" | "false";
                    /** @description only answers in this locale */
                    locale?: string;
                    /** @description only answers sent from this page path */
                    path?: string;
                    /**
                     * @description Repeatable family: `segment.<key>=<value>` keeps answers whose metadata `<key>` equals `<value>` (its JSON text for numbers and booleans). Keys use 1–64 letters, digits and _ . : -; at most 20.
                     * @example pro
                     */
                    "segment.{key}"?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description where the target stands */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TargetStatus"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/themes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The themes of one category’s comments, with what each costs in NPS points */
        get: {
            parameters: {
                query: {
                    /** @description the comments whose terms are ranked against all the others */
                    category: "detractor" | "passive" | "promoter";
                    /** @description true: count only current answers, those of the survey’s last responseLifetimeDays days up to now, within from/to (a from/to outside that counts nothing); false: every answer of from/to. Default: the survey’s countCurrentOnly setting (false unless set). The answer’s `counted` says which was used */
                    current?: "true" | "false";
                    /** @description only answers from this kind of device */
                    device?: "desktop" | "mobile" | "tablet";
                    /** @description answers received at or after this time; ISO 8601, read in tz without an offset */
                    from?: string;
                    /** @description true: count only the latest answer of each respondent (its latest within the counted window: with current=true, a respondent whose latest answer has expired counts no longer) */
                    latestPerRespondent?: "true" | "false";
                    /** @description at most this many terms (default 20) */
                    limit?: string;
                    /** @description only answers in this locale */
                    locale?: string;
                    /** @description a term appears in at least this many comments (default 2) */
                    minCount?: string;
                    /** @description only answers sent from this page path */
                    path?: string;
                    /**
                     * @description Repeatable family: `segment.<key>=<value>` keeps answers whose metadata `<key>` equals `<value>` (its JSON text for numbers and booleans). Keys use 1–64 letters, digits and _ . : -; at most 20.
                     * @example pro
                     */
                    "segment.{key}"?: string;
                    /** @description answers received before this time (exclusive); ISO 8601, read in tz without an offset */
                    to?: string;
                    /** @description IANA time zone in which dates and times without an offset are read */
                    tz?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the themes, the costliest first (for promoters: the most rewarding first) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Themes"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/themes/trend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One theme per period: mentions, share and impact in NPS points */
        get: {
            parameters: {
                query: {
                    /** @description true: count only current answers, those of the survey’s last responseLifetimeDays days up to now, within from/to (a from/to outside that counts nothing); false: every answer of from/to. Default: the survey’s countCurrentOnly setting (false unless set). The answer’s `counted` says which was used */
                    current?: "true" | "false";
                    /** @description only answers from this kind of device */
                    device?: "desktop" | "mobile" | "tablet";
                    /** @description answers received at or after this time; ISO 8601, read in tz without an offset */
                    from?: string;
                    /** @description one point per calendar day, ISO week or month in tz */
                    interval?: "day" | "week" | "month";
                    /** @description true: count only the latest answer of each respondent (its latest within the counted window: with current=true, a respondent whose latest answer has expired counts no longer) */
                    latestPerRespondent?: "true" | "false";
                    /** @description only answers in this locale */
                    locale?: string;
                    /** @description only answers sent from this page path */
                    path?: string;
                    /**
                     * @description Repeatable family: `segment.<key>=<value>` keeps answers whose metadata `<key>` equals `<value>` (its JSON text for numbers and booleans). Keys use 1–64 letters, digits and _ . : -; at most 20.
                     * @example pro
                     */
                    "segment.{key}"?: string;
                    /** @description a dictionary theme of the survey, or a word or two-word phrase */
                    theme: string;
                    /** @description answers received before this time (exclusive); ISO 8601, read in tz without an offset */
                    to?: string;
                    /** @description IANA time zone in which dates and times without an offset are read */
                    tz?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description one point per period */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ThemeTrend"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/surveys/{id}/widget": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The widget config in the visitor’s language (texts, theme, display rules) */
        get: {
            parameters: {
                query?: {
                    /** @description the visitor’s preferred locales (else Accept-Language), such as de or en-US,en */
                    locale?: string;
                };
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the config */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WidgetConfig"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        /** CORS preflight (GET) for the survey's allowed origins */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the survey id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description allowed: Access-Control-Allow-* headers */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `rate_limited` (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhook endpoints (without secrets): every one, or a survey’s own and the collector-wide ones */
        get: {
            parameters: {
                query?: {
                    /** @description only endpoints that hear of this survey */
                    surveyId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the endpoints */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["WebhookEndpoint"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a webhook endpoint (its signing secret is in this answer only) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["WebhookEndpointCreate"];
                };
            };
            responses: {
                /** @description the endpoint, with its secret */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookEndpointCreated"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `last_key`: the last active admin key cannot be revoked; `too_many_endpoints`, `endpoint_disabled` (webhooks) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `body_too_large` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unsupported_media_type` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{endpointId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a webhook endpoint (without its secret) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the endpoint id */
                    endpointId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the endpoint */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookEndpoint"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a webhook endpoint with its deliveries */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the endpoint id */
                    endpointId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a webhook endpoint, or disable or enable it */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the endpoint id */
                    endpointId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["WebhookEndpointPatch"];
                };
            };
            responses: {
                /** @description the changed endpoint */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookEndpoint"];
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `body_too_large` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unsupported_media_type` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/webhooks/{endpointId}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The delivery log of an endpoint, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description at most this many items, 1–100 (default 20) */
                    limit?: string;
                };
                header?: never;
                path: {
                    /** @description the endpoint id */
                    endpointId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of deliveries */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["WebhookDelivery"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{endpointId}/deliveries/{deliveryId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One delivery: its body and every attempt */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the delivery id */
                    deliveryId: string;
                    /** @description the endpoint id */
                    endpointId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the delivery */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookDeliveryDetail"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery again now, with the same id and body (whatever became of it) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the delivery id */
                    deliveryId: string;
                    /** @description the endpoint id */
                    endpointId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the delivery, pending again */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookDelivery"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `last_key`: the last active admin key cannot be revoked; `too_many_endpoints`, `endpoint_disabled` (webhooks) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{endpointId}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send the endpoint a test ping (`webhook.test`), signed as every delivery */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the endpoint id */
                    endpointId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the ping’s delivery, pending */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookDelivery"];
                    };
                };
                /** @description `unauthorized`: no or unknown key, or no live session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_found`: no such survey, key, webhook endpoint, delivery, file or route */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `last_key`: the last active admin key cannot be revoked; `too_many_endpoints`, `endpoint_disabled` (webhooks) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Account: {
            account: string;
            change: {
                delta: number | null;
                pValue: number | null;
                significant: boolean;
                z: number | null;
            };
            ci95: [
                number,
                number
            ] | null;
            detractors: number;
            lastAnswerAt: string;
            marginOfError: number | null;
            /** @description respondents who went from promoter to detractor */
            movers: number;
            /** @description answers counted (respondents, when counting respondents) */
            n: number;
            nps: number | null;
            passives: number;
            previous: {
                n: number;
                nps: number | null;
            };
            promoters: number;
            reasons: ("stale" | "promoter to detractor" | "negative nps" | "significant fall" | "few answers")[];
            respondents: number;
            stale: boolean;
            /** @enum {string} */
            status: "at risk" | "healthy" | "unknown";
        };
        Accounts: {
            /** @enum {string} */
            count: "answers" | "latest" | "respondents";
            counted: components["schemas"]["CountedWindow"];
            from: string;
            items: components["schemas"]["Account"][];
            key: string;
            nextCursor: string | null;
            previousFrom: string;
            to: string;
        };
        /** @description the answer id and the category of its score */
        AnswerAck: {
            /** @enum {string} */
            category: "promoter" | "passive" | "detractor";
            id: string;
        };
        /** @description a key, without its secret */
        ApiKey: {
            createdAt: string;
            id: string;
            /** @description the last 4 characters of the secret; null for a key stored before they were kept */
            last4: string | null;
            name: string;
            revokedAt: string | null;
            /**
             * @description `admin`: everything; `read`: the GET routes of surveys, answers, figures and exports, and /metrics (no settings, keys, imports or erasure)
             * @enum {string}
             */
            scope: "admin" | "read";
        };
        ApiKeyCreate: {
            name: string;
            /**
             * @description `admin`: everything; `read`: the GET routes of surveys, answers, figures and exports, and /metrics (no settings, keys, imports or erasure)
             * @default admin
             * @enum {string}
             */
            scope: "admin" | "read";
        };
        /** @description a key, without its secret */
        ApiKeyCreated: components["schemas"]["ApiKey"] & {
            key: string;
        };
        Benchmark: {
            id: string;
            industry: string;
            industryName: string;
            /** @enum {string} */
            method: "competitive-benchmark" | "own-customer";
            note: string;
            region: string;
            source: {
                publisher: string;
                secondHand: boolean;
                title: string;
                url: string | null;
                via: string | null;
            };
            /** @enum {string} */
            statistic: "average" | "median" | "upper-quartile" | "leader";
            /** @enum {string} */
            survey: "relationship" | "transactional" | "unknown";
            value: number;
            year: number | null;
        };
        Benchmarks: {
            caveat: string;
            items: components["schemas"]["Benchmark"][];
        };
        BenchmarkStanding: {
            benchmarks: (components["schemas"]["Benchmark"] & {
                /** @description our NPS − the benchmark value */
                difference: number | null;
                /**
                 * @description above: our interval’s lower end is over the value; below: its upper end is under it; within: the interval holds it; null: no answers
                 * @enum {string|null}
                 */
                verdict: "above" | "below" | "within" | null;
            })[];
            caveat: string;
            counted: components["schemas"]["CountedWindow"];
            current: components["schemas"]["Summary"];
            industry: string | null;
            /** @description why there is no benchmark, when none */
            reason: string | null;
        };
        Breakdown: {
            alpha: number;
            by: string;
            /** @enum {string} */
            correction: "holm";
            counted: components["schemas"]["CountedWindow"];
            /** @description groups under minCount: not listed, not compared, still in the rest */
            excludedGroups: number;
            /** @description groups with at least minCount answers */
            groupCount: number;
            groups: (components["schemas"]["Summary"] & {
                /** @description pValue after Holm’s correction over every compared group (all pages) */
                adjustedP: number | null;
                /** @description the group’s NPS minus the NPS of the rest of the answers */
                delta: number | null;
                /**
                 * @description low under 30 answers or with a 95% margin of error above 10 points; lowSample is true exactly then
                 * @enum {string}
                 */
                precision: "ok" | "low";
                /** @description two-sided, the group against the rest */
                pValue: number | null;
                value: string | null;
                /**
                 * @description above or below the rest when adjustedP < 0.05; read it with precision
                 * @enum {string}
                 */
                verdict: "above" | "below" | "no clear difference";
                z: number | null;
            })[];
            /** @description the offset of the next page; null: last */
            next: number | null;
            /** @enum {string} */
            order: "desc" | "asc";
            preciseMargin: number;
            /**
             * @description counted: the survey declares this dimension (settings.breakdowns) and its hourly counts hold every answer, so a time range is read from them; counting: declared just now, its answers so far still being counted in the background, so this answer was a scan (exact, slower); undeclared: every breakdown is a scan. Filters other than a time range always scan.
             * @enum {string}
             */
            rollup: "counted" | "counting" | "undeclared";
            /** @enum {string} */
            sort: "n" | "nps" | "lower";
            /** @description answers under the filter, every group */
            total: number;
        };
        /** @description a follow-up case: one answer, who follows it up, and how far they got */
        Case: {
            answeredAt: string;
            assignee: string | null;
            /** @enum {string} */
            category: "promoter" | "passive" | "detractor";
            closedAt: string | null;
            dueAt: string | null;
            firstContactAt: string | null;
            id: string;
            openedAt: string;
            /** @description the name of the key that opened it, or rule: <name> */
            openedBy: string;
            /** @description open or contacted, and past its due time */
            overdue: boolean;
            responseId: string;
            score: number;
            /** @enum {string} */
            status: "open" | "contacted" | "resolved" | "dismissed";
            surveyId: string;
            tags: string[];
            updatedAt: string;
        };
        /** @description one entry of a case’s append-only log */
        CaseLogEntry: {
            actor: string;
            at: string;
            from?: unknown;
            /** @enum {string} */
            kind: "opened" | "note" | "status" | "assignee" | "due" | "tags";
            note: string | null;
            /** @description the entry’s number in the change log */
            seq: number;
            to?: unknown;
        };
        CaseNote: {
            text: string;
        };
        CaseOpen: {
            assignee?: string | null;
            /** @example 2026-12-04T17:00:00Z */
            dueAt?: string | null;
            note?: string;
            responseId: string;
            tags?: string[];
        };
        CasePatch: {
            assignee?: string | null;
            /** @example 2026-12-04T17:00:00Z */
            dueAt?: string | null;
            /** @enum {string} */
            status?: "open" | "contacted" | "resolved" | "dismissed";
            tags?: string[];
        };
        /** @description a case with its answer and its log, oldest entry first */
        CaseWithLog: components["schemas"]["Case"] & {
            log: components["schemas"]["CaseLogEntry"][];
            response: components["schemas"]["StoredResponse"] & (Record<string, never> | null);
        };
        /** @description an answer created or changed (each answer once, at its latest change), or erased */
        Change: {
            response: components["schemas"]["StoredResponse"];
            /** @description the change’s number, increasing in feed order */
            seq: number;
            /** @enum {string} */
            type: "response.upserted";
        } | {
            erasedAt: string;
            /** @description the erased answer’s id; nothing else it held is kept */
            id: string;
            seq: number;
            /** @enum {string} */
            type: "response.erased";
        };
        Comparison: {
            a: components["schemas"]["Summary"];
            b: components["schemas"]["Summary"];
            counted: components["schemas"]["CountedWindow"] & unknown;
            delta: number | null;
            /**
             * @description low when either side has fewer than 30 answers or a 95% margin above ±10 points
             * @enum {string}
             */
            precision: "ok" | "low";
            precisionReasons: string[];
            pValue: number | null;
            /** @description p < 0.05 and at least 30 answers on each side */
            significant: boolean;
            z: number | null;
        };
        /** @description the time window this answer counted: the request’s from/to, cut to the answers’ lifetime when current */
        CountedWindow: {
            /** @description true: only current answers, those within the survey’s responseLifetimeDays up to now */
            current: boolean;
            /** @description counted from this time (inclusive); null: the first answer */
            from: string | null;
            /** @description the lifetime used; only when current */
            lifetimeDays?: number;
            /** @description up to this time (exclusive); null: the last answer */
            to: string | null;
        };
        /** @description every error answer: a code, a message, maybe issues */
        Error: {
            error: {
                code: string;
                issues?: unknown[];
                message: string;
            };
        };
        EventSubmission: {
            respondentId: string;
            /** Format: uuid */
            responseId?: string;
            /** @enum {string} */
            type: "shown" | "dismissed";
        };
        /** @description one JSON object per line */
        ImportRow: {
            category?: unknown;
            comment?: string | null;
            contact?: {
                email: string | null;
            } | null;
            /** Format: date-time */
            createdAt?: string | null;
            /** @enum {string|null} */
            device?: "desktop" | "mobile" | "tablet" | null;
            id: string;
            locale?: string | null;
            metadata?: {
                [key: string]: string | number | boolean;
            } | null;
            path?: unknown;
            respondentId?: string | null;
            score: number;
            /** @enum {string|null} */
            source?: "widget" | "api" | "import" | "link" | null;
            /** Format: uri */
            url?: string | null;
        };
        /** @description one retention run or deletion by filter, recorded when it ended */
        LifecycleRun: {
            anonymised: number;
            /** @description a retention run touched answers created before this */
            cutoff: string | null;
            deleted: number;
            /** @description a deletion’s filter, as its query gave it; null for a retention run */
            filter: {
                [key: string]: string;
            } | null;
            finishedAt: string;
            id: string;
            /** @enum {string} */
            kind: "retention" | "deletion";
            /** @description the retention policy the run applied; null for a deletion */
            policy?: unknown;
            startedAt: string;
        } | null;
        LinkAnswer: {
            comment?: string;
            contact?: {
                email?: string;
            };
            /**
             * Format: uuid
             * @description the answer id, on an open link (no token)
             */
            id?: string;
            locale?: string;
            score: number;
            /** @description the personal link’s token */
            token?: string;
        };
        /** @description two consecutive answers of one respondent whose category changed */
        Mover: {
            account: string | null;
            after: {
                /** @enum {string} */
                category: "promoter" | "passive" | "detractor";
                createdAt: string;
                id: string;
                score: number;
            };
            before: {
                /** @enum {string} */
                category: "promoter" | "passive" | "detractor";
                createdAt: string;
                id: string;
                score: number;
            };
            respondentId: string;
        };
        Movers: {
            counted: components["schemas"]["CountedWindow"];
            items: components["schemas"]["Mover"][];
            nextCursor: string | null;
        };
        /** @description NPS of a set of answers, with its 95% interval; events when they can be attributed */
        NpsAnswer: components["schemas"]["Summary"] & {
            counted: components["schemas"]["CountedWindow"];
        };
        /** @description an answer as stored, with its derived category and path */
        RespondentAnswer: components["schemas"]["StoredResponse"] & {
            surveyId: string;
        };
        ResponsePage: {
            counted: components["schemas"]["CountedWindow"];
            items: components["schemas"]["StoredResponse"][];
            nextCursor: string | null;
        };
        ResponseSubmission: {
            comment?: string;
            contact?: {
                email?: string;
            };
            /** Format: uuid */
            id: string;
            locale?: string;
            metadata?: {
                [key: string]: string | number | boolean;
            };
            respondentId?: string;
            score: number;
            /** @enum {string} */
            source?: "widget" | "api";
            /** Format: uri */
            url?: string;
        };
        /** @description who is signed in, with which scope, until when */
        Session: {
            /** @description when the session ends by itself (ISO 8601) */
            expiresAt: string;
            keyName: string;
            /**
             * @description `admin`: everything; `read`: the GET routes of surveys, answers, figures and exports, and /metrics (no settings, keys, imports or erasure)
             * @enum {string}
             */
            scope: "admin" | "read";
        };
        SessionCreate: {
            key: string;
        };
        /** @description an answer as stored, with its derived category and path */
        StoredResponse: {
            /** @enum {string} */
            category: "promoter" | "passive" | "detractor";
            comment: string | null;
            /** @description the respondent asked to be contacted about this answer; null: not asked, or they did not */
            contact: {
                /**
                 * @description the address the visitor gave; null when the site had identified them (respondentId)
                 * @example ana.lima@example.com
                 */
                email: string | null;
            } | null;
            createdAt: string;
            /** @enum {string|null} */
            device: "desktop" | "mobile" | "tablet" | null;
            id: string;
            locale: string | null;
            metadata: {
                [key: string]: string | number | boolean;
            } | null;
            path: string | null;
            respondentId: string | null;
            score: number;
            /**
             * @description where the answer came from: the widget, the public API, an import, or a survey link; null: stored before sources were recorded. Only widget answers (and null) count towards responseRate
             * @example widget
             * @enum {string|null}
             */
            source: "widget" | "api" | "import" | "link" | null;
            url: string | null;
        };
        /** @description NPS of a set of answers, with its 95% interval; events when they can be attributed */
        Summary: {
            ci95: [
                number,
                number
            ] | null;
            detractors: number;
            dismissed?: number;
            distribution: number[];
            from?: string | null;
            lowSample: boolean;
            marginOfError: number | null;
            nps: number | null;
            passives: number;
            promoters: number;
            responseRate?: number | null;
            shown?: number;
            to?: string | null;
            total: number;
        };
        /** @description a survey: its id, every setting, and when it was created and changed */
        Survey: {
            accounts?: {
                key: string;
            };
            allowedOrigins: string[];
            breakdowns?: string[];
            cases?: {
                rules: {
                    assignee?: string | null;
                    assigneeFrom?: string;
                    dueHours?: number;
                    name: string;
                    tags?: string[];
                    when: {
                        categories?: ("promoter" | "passive" | "detractor")[];
                        /** @enum {boolean} */
                        contactRequested?: true;
                        maxScore?: number;
                        segments?: [
                            string,
                            string
                        ][];
                    };
                }[];
            };
            contact?: {
                ask: boolean;
            };
            /** @enum {boolean} */
            countCurrentOnly?: true;
            createdAt: string;
            defaultLocale: string;
            display: {
                delaySeconds: number;
                dismissBackoffDays: number;
                minPageViews: number;
                resurveyAfterDays: number;
                sampleRate: number;
                urlExclude: string[];
                urlInclude: string[];
            };
            followUp: {
                detractor: string | null;
                passive: string | null;
                promoter: string | null;
            };
            id: string;
            /** @enum {string} */
            industry?: "cross-industry" | "retail-department-specialty" | "software" | "b2b-software-saas" | "b2b-services" | "it-services" | "hr-services" | "internet-providers" | "automobiles" | "life-insurance";
            metadataKeys?: string[];
            name: string;
            notifications?: {
                alert: {
                    alpha: number;
                    segments: [
                        string,
                        string
                    ][];
                    windowDays: number;
                } | null;
                caseEmails: boolean;
                /** @enum {string} */
                digest: "off" | "daily" | "weekly";
                emails: string[];
            };
            question: string | null;
            responseLifetimeDays: number;
            retention?: {
                /** @enum {string} */
                action: "delete" | "anonymise";
                days: number;
                keepMetadata?: string[];
            };
            target: {
                /** Format: date */
                deadline: string;
                nps: number;
            } | null;
            texts?: {
                [key: string]: {
                    close?: string;
                    contact?: string;
                    email?: string;
                    followUp?: {
                        detractor?: string;
                        passive?: string;
                        promoter?: string;
                    };
                    high?: string;
                    low?: string;
                    placeholder?: string;
                    question?: string;
                    review?: string;
                    reviewLink?: string;
                    scoreLabel?: string;
                    send?: string;
                    skip?: string;
                    thanks?: string;
                };
            };
            thanks?: {
                /** @enum {string} */
                action: "none";
            } | {
                /** @enum {string} */
                action: "link";
                label: string;
                /** Format: uri */
                url: string;
            } | {
                /** @enum {string} */
                action: "review";
                site: string;
                /** Format: uri */
                url: string;
            };
            theme: {
                accent: string;
                /** @enum {string} */
                font?: "system" | "inherit";
                /** @enum {string} */
                mode: "auto" | "light" | "dark";
                /** @enum {string} */
                position: "bottom-right" | "bottom-left" | "top-right" | "top-left" | "center";
                radius?: number;
            };
            themes?: {
                dictionary: {
                    [key: string]: string[];
                };
            };
            updatedAt: string;
        };
        SurveyCreate: {
            accounts?: {
                key: string;
            } | null;
            allowedOrigins?: string[];
            breakdowns?: string[] | null;
            cases?: {
                rules: {
                    assignee?: string | null;
                    assigneeFrom?: string;
                    dueHours?: number;
                    name: string;
                    tags?: string[];
                    when: {
                        categories?: ("promoter" | "passive" | "detractor")[];
                        /** @enum {boolean} */
                        contactRequested?: true;
                        maxScore?: number;
                        segments?: [
                            string,
                            string
                        ][];
                    };
                }[];
            };
            contact?: {
                ask: boolean;
            };
            countCurrentOnly?: boolean;
            defaultLocale?: string;
            display?: {
                delaySeconds?: number;
                dismissBackoffDays?: number;
                minPageViews?: number;
                resurveyAfterDays?: number;
                sampleRate?: number;
                urlExclude?: string[];
                urlInclude?: string[];
            };
            followUp?: {
                detractor?: string | null;
                passive?: string | null;
                promoter?: string | null;
            };
            /** @enum {string|null} */
            industry?: "cross-industry" | "retail-department-specialty" | "software" | "b2b-software-saas" | "b2b-services" | "it-services" | "hr-services" | "internet-providers" | "automobiles" | "life-insurance" | null;
            metadataKeys?: string[] | null;
            name: string;
            notifications?: {
                alert?: {
                    alpha: number;
                    segments: [
                        string,
                        string
                    ][];
                    windowDays: number;
                } | null;
                caseEmails?: boolean;
                /** @enum {string} */
                digest?: "off" | "daily" | "weekly";
                emails?: string[];
            };
            question?: string | null;
            responseLifetimeDays?: number;
            retention?: {
                /** @enum {string} */
                action: "delete" | "anonymise";
                days: number;
                keepMetadata?: string[];
            } | null;
            target?: {
                /** Format: date */
                deadline: string;
                nps: number;
            } | null;
            texts?: {
                [key: string]: {
                    close?: string;
                    contact?: string;
                    email?: string;
                    followUp?: {
                        detractor?: string;
                        passive?: string;
                        promoter?: string;
                    };
                    high?: string;
                    low?: string;
                    placeholder?: string;
                    question?: string;
                    review?: string;
                    reviewLink?: string;
                    scoreLabel?: string;
                    send?: string;
                    skip?: string;
                    thanks?: string;
                };
            } | null;
            thanks?: {
                /** @enum {string} */
                action: "none";
            } | {
                /** @enum {string} */
                action: "link";
                label: string;
                /** Format: uri */
                url: string;
            } | {
                /** @enum {string} */
                action: "review";
                site: string;
                /** Format: uri */
                url: string;
            } | null;
            theme?: {
                accent?: string;
                /** @enum {string} */
                font?: "system" | "inherit";
                /** @enum {string} */
                mode?: "auto" | "light" | "dark";
                /** @enum {string} */
                position?: "bottom-right" | "bottom-left" | "top-right" | "top-left" | "center";
                radius?: number;
            };
            themes?: {
                dictionary: {
                    [key: string]: string[];
                };
            };
        };
        /** @description a personal survey link */
        SurveyLink: {
            expiresAt: string;
            /** @description the id of the one answer this link makes (and edits) */
            responseId: string;
            token: string;
            /** @description the page; add `&score=N` for a score chosen in advance */
            url: string;
        };
        SurveyLinkCreate: {
            /**
             * Format: date-time
             * @description when the link stops taking answers; default 30 days, at most 366
             */
            expiresAt?: string;
            /** @description the page’s language, unless `?locale=` says otherwise */
            locale?: string;
            /** @description carried by the answer, as the widget’s identify traits (e.g. accountId) */
            metadata?: {
                [key: string]: string | number | boolean;
            };
            /** @description who answers through this link */
            respondentId?: string;
        };
        SurveyPatch: {
            accounts?: {
                key: string;
            } | null;
            allowedOrigins?: string[];
            breakdowns?: string[] | null;
            cases?: {
                rules: {
                    assignee?: string | null;
                    assigneeFrom?: string;
                    dueHours?: number;
                    name: string;
                    tags?: string[];
                    when: {
                        categories?: ("promoter" | "passive" | "detractor")[];
                        /** @enum {boolean} */
                        contactRequested?: true;
                        maxScore?: number;
                        segments?: [
                            string,
                            string
                        ][];
                    };
                }[];
            };
            contact?: {
                ask: boolean;
            };
            countCurrentOnly?: boolean;
            defaultLocale?: string;
            display?: {
                delaySeconds?: number;
                dismissBackoffDays?: number;
                minPageViews?: number;
                resurveyAfterDays?: number;
                sampleRate?: number;
                urlExclude?: string[];
                urlInclude?: string[];
            };
            followUp?: {
                detractor?: string | null;
                passive?: string | null;
                promoter?: string | null;
            };
            /** @enum {string|null} */
            industry?: "cross-industry" | "retail-department-specialty" | "software" | "b2b-software-saas" | "b2b-services" | "it-services" | "hr-services" | "internet-providers" | "automobiles" | "life-insurance" | null;
            metadataKeys?: string[] | null;
            name?: string;
            notifications?: {
                alert?: {
                    alpha: number;
                    segments: [
                        string,
                        string
                    ][];
                    windowDays: number;
                } | null;
                caseEmails?: boolean;
                /** @enum {string} */
                digest?: "off" | "daily" | "weekly";
                emails?: string[];
            };
            question?: string | null;
            responseLifetimeDays?: number;
            retention?: {
                /** @enum {string} */
                action: "delete" | "anonymise";
                days: number;
                keepMetadata?: string[];
            } | null;
            target?: {
                /** Format: date */
                deadline: string;
                nps: number;
            } | null;
            texts?: {
                [key: string]: {
                    close?: string;
                    contact?: string;
                    email?: string;
                    followUp?: {
                        detractor?: string;
                        passive?: string;
                        promoter?: string;
                    };
                    high?: string;
                    low?: string;
                    placeholder?: string;
                    question?: string;
                    review?: string;
                    reviewLink?: string;
                    scoreLabel?: string;
                    send?: string;
                    skip?: string;
                    thanks?: string;
                };
            } | null;
            thanks?: {
                /** @enum {string} */
                action: "none";
            } | {
                /** @enum {string} */
                action: "link";
                label: string;
                /** Format: uri */
                url: string;
            } | {
                /** @enum {string} */
                action: "review";
                site: string;
                /** Format: uri */
                url: string;
            } | null;
            theme?: {
                accent?: string;
                /** @enum {string} */
                font?: "system" | "inherit";
                /** @enum {string} */
                mode?: "auto" | "light" | "dark";
                /** @enum {string} */
                position?: "bottom-right" | "bottom-left" | "top-right" | "top-left" | "center";
                radius?: number;
            };
            themes?: {
                dictionary: {
                    [key: string]: string[];
                };
            };
        };
        TargetStatus: {
            counted: components["schemas"]["CountedWindow"];
            current: components["schemas"]["Summary"];
            deadlinePassed: boolean | null;
            gap: number | null;
            lifetimeDays: number;
            /** @description where it is heading; null with projectionReason when none can be made */
            projection: {
                answers: number;
                at: string;
                ci95: [
                    number,
                    number
                ];
                /** @description the projection interval lies wholly on one side of the target */
                intervalExcludesTarget: boolean;
                months: number;
                nps: number;
                /** @description the projected NPS is at or above the target */
                onTrack: boolean;
                slopePerMonth: number;
            } | null;
            projectionMethod: string;
            projectionReason: string | null;
            sampleSizeNeeded: number | null;
            /**
             * @description where it stands now, against the 95% interval of the current answers: met (lower end at or above the target), below (upper end under it), uncertain (the target inside it, or no answers)
             * @enum {string|null}
             */
            status: "met" | "below" | "uncertain" | null;
            target: {
                /** Format: date */
                deadline: string;
                nps: number;
            } | null;
        };
        Themes: {
            answers: number;
            /** @enum {string} */
            category: "promoter" | "passive" | "detractor";
            comments: number;
            complete: boolean;
            counted: components["schemas"]["CountedWindow"];
            maxComments: number;
            nps: number | null;
            otherComments: number;
            terms: {
                absorbed: string[];
                count: number;
                examples: string[];
                impact: number | null;
                impactCi95: [
                    number,
                    number
                ] | null;
                /** @description the term as the comments write it most often (lowercased), for showing; a dictionary theme’s name */
                label: string;
                lift: number;
                mentions: number;
                npsMentioning: number | null;
                share: number;
                /** @enum {string} */
                source: "dictionary" | "discovered";
                /** @description normalised (folded, lightly stemmed): what theme= matches */
                term: string;
            }[];
        };
        ThemeTrend: {
            complete: boolean;
            counted: components["schemas"]["CountedWindow"];
            /** @enum {string} */
            interval: "day" | "week" | "month";
            points: {
                answers: number;
                comments: number;
                end: string;
                impact: number | null;
                impactCi95: [
                    number,
                    number
                ] | null;
                mentions: number;
                nps: number | null;
                share: number | null;
                start: string;
            }[];
            theme: string;
            tz: string;
        };
        Trend: {
            counted: components["schemas"]["CountedWindow"];
            /** @description when the survey’s oldest answer was given, whatever the filters; null: none */
            firstAnswerAt: string | null;
            /** @enum {string} */
            interval: "day" | "week" | "month";
            points: (components["schemas"]["Summary"] & {
                end: string;
                /** @description a rolling window (window=N) that starts before the survey’s first answer: it covers fewer days of answers than N */
                partialWindow: boolean;
                start: string;
            })[];
            tz: string;
            window: number | null;
        };
        /** @description one message to an endpoint and how its attempts went */
        WebhookDelivery: {
            attempts: number;
            createdAt: string;
            deliveredAt: string | null;
            endpointId: string;
            /** @enum {string} */
            eventType: "response.created" | "response.updated" | "case.opened" | "case.updated" | "alert.nps_dropped" | "webhook.test";
            /** @description the `webhook-id` header, the same on every attempt */
            id: string;
            lastAttemptAt: string | null;
            lastError: string | null;
            lastLatencyMs: number | null;
            lastStatusCode: number | null;
            nextAttemptAt: string | null;
            responseId: string | null;
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            surveyId: string | null;
        };
        /** @description a delivery with its body and every attempt, oldest first */
        WebhookDeliveryDetail: components["schemas"]["WebhookDelivery"] & {
            history: {
                at: string;
                error: string | null;
                latencyMs: number;
                statusCode: number | null;
            }[];
            /** @description the body sent, exactly as signed */
            payload?: unknown;
        };
        /** @description a webhook endpoint, without its secret */
        WebhookEndpoint: {
            createdAt: string;
            description: string | null;
            /** @description why it is disabled (`failing for 24 hours`, `disabled by <key>`, …); null while enabled */
            disabledReason: string | null;
            enabled: boolean;
            events: ("response.created" | "response.updated" | "case.opened" | "case.updated" | "alert.nps_dropped")[];
            /** @description the first failed attempt since the last success */
            failingSince: string | null;
            /** @description which answers it hears of (response and case events); every condition given must hold */
            filter: {
                categories?: ("promoter" | "passive" | "detractor")[];
                maxScore?: number;
                minScore?: number;
                /** @description [key, value] pairs: metadata[key] must equal value, compared as text */
                segments?: [
                    string,
                    string
                ][];
            };
            /**
             * @description `standard`: Standard Webhooks JSON `{ type, timestamp, data }`; `slack`: a Slack incoming-webhook message
             * @enum {string}
             */
            format: "standard" | "slack";
            id: string;
            surveyId: string | null;
            updatedAt: string;
            url: string;
        };
        WebhookEndpointCreate: {
            /** @default null */
            description: string | null;
            /**
             * @description the events it receives (a test ping always)
             * @default [
             *       "response.created",
             *       "response.updated",
             *       "case.opened",
             *       "case.updated",
             *       "alert.nps_dropped"
             *     ]
             */
            events: ("response.created" | "response.updated" | "case.opened" | "case.updated" | "alert.nps_dropped")[];
            /**
             * @description which answers it hears of (response and case events); every condition given must hold
             * @default {}
             */
            filter: {
                categories?: ("promoter" | "passive" | "detractor")[];
                maxScore?: number;
                minScore?: number;
                /** @description [key, value] pairs: metadata[key] must equal value, compared as text */
                segments?: [
                    string,
                    string
                ][];
            };
            /**
             * @description `standard`: Standard Webhooks JSON `{ type, timestamp, data }`; `slack`: a Slack incoming-webhook message
             * @default standard
             * @enum {string}
             */
            format: "standard" | "slack";
            /**
             * @description null or absent: every survey
             * @default null
             */
            surveyId: string | null;
            /** Format: uri */
            url: string;
        };
        /** @description a webhook endpoint, without its secret */
        WebhookEndpointCreated: components["schemas"]["WebhookEndpoint"] & {
            /** @description `whsec_…`: verify signatures with it */
            secret: string;
        };
        WebhookEndpointPatch: {
            description?: string | null;
            /** @description false disables it (deliveries wait); true enables it again and clears its failing state */
            enabled?: boolean;
            /** @description the events it receives (a test ping always) */
            events?: ("response.created" | "response.updated" | "case.opened" | "case.updated" | "alert.nps_dropped")[];
            /** @description which answers it hears of (response and case events); every condition given must hold */
            filter?: {
                categories?: ("promoter" | "passive" | "detractor")[];
                maxScore?: number;
                minScore?: number;
                /** @description [key, value] pairs: metadata[key] must equal value, compared as text */
                segments?: [
                    string,
                    string
                ][];
            };
            /**
             * @description `standard`: Standard Webhooks JSON `{ type, timestamp, data }`; `slack`: a Slack incoming-webhook message
             * @enum {string}
             */
            format?: "standard" | "slack";
            /** Format: uri */
            url?: string;
        };
        WidgetConfig: {
            contact: {
                ask: boolean;
            };
            /** @enum {string} */
            dir: "ltr" | "rtl";
            display: {
                delaySeconds: number;
                dismissBackoffDays: number;
                minPageViews: number;
                resurveyAfterDays: number;
                sampleRate: number;
                urlExclude: string[];
                urlInclude: string[];
            };
            locale: string;
            strings: {
                close: string;
                contact: string;
                email: string;
                followUp: {
                    detractor: string;
                    passive: string;
                    promoter: string;
                };
                high: string;
                low: string;
                placeholder: string;
                question: string;
                review: string;
                reviewLink: string;
                scoreLabel: string;
                send: string;
                skip: string;
                thanks: string;
            };
            surveyId: string;
            thanks?: {
                /** @enum {string} */
                action: "none";
            } | {
                /** @enum {string} */
                action: "link";
                label: string;
                /** Format: uri */
                url: string;
            } | {
                /** @enum {string} */
                action: "review";
                site: string;
                /** Format: uri */
                url: string;
            };
            theme: {
                accent: string;
                /** @enum {string} */
                font?: "system" | "inherit";
                /** @enum {string} */
                mode: "auto" | "light" | "dark";
                /** @enum {string} */
                position: "bottom-right" | "bottom-left" | "top-right" | "top-left" | "center";
                radius?: number;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
