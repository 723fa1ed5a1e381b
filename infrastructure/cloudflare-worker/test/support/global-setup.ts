/**
 * Runs in Node before the Worker tests: starts the local Git host, a small scriptable stand-in for
 * the Supabase RPC the Worker calls (with a scriptable `evaluate_fleet_automation` and a recording
 * alert webhook receiver, `/__webhook/{id}`), and the project's local Supabase stand-in (real migrations
 * over PGlite), all on loopback, and hands their URLs to the tests (and to the
 * Worker's bindings, see vitest.config.ts) through `provide`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGitHost } from '@cartae/local-git-host';
import { startSupabaseStandIn } from '@cartae/local-supabase';
import { exportTrustedKey, type RegistrySigner, signRegistryDetached } from '@cartae/marketplace-core';
import type { TestProject } from 'vitest/node';
import { buildRegistry, registryText } from '../../../../tests/fixtures/registry-builder.ts';
import {
  CONFIG_SCENARIOS,
  DEFAULT_EVALUATION,
  GIT_SCENARIOS,
  GITHUB_TEST_TOKEN,
  GOOD_CONFIG_DOCUMENT,
  GOOD_CONFIG_UPDATED_AT,
  INGEST_SCENARIOS,
  PRIVATE_GIT_PATH,
  type RecordedEvaluateCall,
  type RecordedIngestCall,
  type RecordedWebhookCall,
  type ScriptedEvaluation,
  SUPABASE_TEST_ANON_KEY,
  SUPABASE_TEST_SERVICE_ROLE_KEY,
} from './scenarios.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    gitHostUrl: string;
    controlPlaneUrl: string;
    trustedKeys: string;
    supabaseStandInUrl: string;
    supabaseStandInAnonKey: string;
    supabaseStandInServiceRoleKey: string;
  }
}

interface SignedScenarios {
  readonly signer: RegistrySigner;
  readonly trustedKeys: string;
  /** Files of the signed scenarios: registries and their detached signature files. */
  readonly files: Record<string, string>;
}

async function keyPair(kid: string) {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  return {
    signer: { kid, privateKey: pair.privateKey },
    trusted: await exportTrustedKey(kid, pair.publicKey),
  };
}

const signatureFor = (text: string, signer: RegistrySigner) =>
  signRegistryDetached(new TextEncoder().encode(text), [signer]);

/**
 * The signed scenarios: a registry with a valid detached signature by the trusted test key, the
 * same registry changed by one byte next to that signature, and one signed by a key nobody trusts.
 */
async function signedScenarios(): Promise<SignedScenarios> {
  const [trusted, stranger] = await Promise.all([keyPair('test-2026'), keyPair('stranger')]);
  const text = registryText({ version: 4 });
  const signature = await signatureFor(text, trusted.signer);
  const tampered = text.replace('"Plugin 1"', '"Plugin 7"');
  if (tampered === text) throw new Error('the tampered scenario must differ from the signed one');
  return {
    signer: trusted.signer,
    trustedKeys: JSON.stringify([trusted.trusted]),
    files: {
      [GIT_SCENARIOS.signed]: text,
      [`${GIT_SCENARIOS.signed}.sig`]: signature,
      [GIT_SCENARIOS.tampered]: tampered,
      [`${GIT_SCENARIOS.tampered}.sig`]: signature,
      [GIT_SCENARIOS.strangerSigned]: text,
      [`${GIT_SCENARIOS.strangerSigned}.sig`]: await signatureFor(text, stranger.signer),
    },
  };
}

/** What the stand-in control plane answers for a scenario: status, content type and body. */
function controlPlaneAnswer(scenario: string): { status: number; type: string; body: string } {
  const json = (status: number, body: unknown) => ({
    status,
    type: 'application/json',
    body: JSON.stringify(body),
  });
  switch (scenario) {
    case CONFIG_SCENARIOS.good:
    case CONFIG_SCENARIOS.counted:
    case CONFIG_SCENARIOS.slowCounted:
      return json(200, [
        { config_value: GOOD_CONFIG_DOCUMENT, version: 7, updated_at: GOOD_CONFIG_UPDATED_AT },
      ]);
    case CONFIG_SCENARIOS.goodObject:
      return json(200, {
        config_value: { ...GOOD_CONFIG_DOCUMENT, canaryPercent: 50 },
        version: 8,
        updated_at: GOOD_CONFIG_UPDATED_AT,
      });
    case CONFIG_SCENARIOS.garbage:
      return { status: 200, type: 'text/html', body: '<html>maintenance</html>' };
    case CONFIG_SCENARIOS.invalid:
      return json(200, { config_value: { type: 'git', gitUrl: 'javascript:alert(1)' }, version: 9 });
    case CONFIG_SCENARIOS.unavailable:
      return json(503, { message: 'control plane is overloaded' });
    default:
      return json(500, { message: 'control plane is down' });
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const signed = await signedScenarios();
  // The project's real control plane SQL behind the local Supabase stand-in (PGlite in memory).
  const supabase = await startSupabaseStandIn({ port: 0 });
  const git = await startGitHost({
    files: {
      [GIT_SCENARIOS.current]: registryText({ version: 2 }),
      [GIT_SCENARIOS.newer]: registryText({ version: 3, plugins: 4 }),
      [GIT_SCENARIOS.older]: registryText({ version: 1 }),
      [GIT_SCENARIOS.rateLimited]: registryText({ version: 5 }),
      [GIT_SCENARIOS.serverError]: registryText({ version: 5 }),
      [GIT_SCENARIOS.garbage]: registryText({ version: 5 }),
      [GIT_SCENARIOS.schemaInvalid]: `${JSON.stringify({ ...buildRegistry({ version: 5 }), version: 'five' })}\n`,
      [GIT_SCENARIOS.expired]: registryText({ version: 5, expires: '2020-01-01T00:00:00.000Z' }),
      ...signed.files,
      [GIT_SCENARIOS.slow]: registryText({ version: 2 }),
    },
  });
  git.setBehaviour(GIT_SCENARIOS.rateLimited, { kind: 'rate-limited', retryAfterSeconds: 120 });
  git.setBehaviour(GIT_SCENARIOS.serverError, { kind: 'status', status: 500 });
  git.setBehaviour(GIT_SCENARIOS.garbage, { kind: 'body', body: '<html><body>Oops</body></html>' });
  git.setBehaviour(GIT_SCENARIOS.slow, { kind: 'delay', ms: 300 });

  const counts = new Map<string, number>();
  /** Path prefix → the scenario it answers as, set by tests through `PUT /__script/{prefix}`. */
  const scripted = new Map<string, string>();
  const privateRegistry = registryText({ version: 6 });
  /** Every call to `ingest_usage_aggregates`, and what each prefix answers (default: ok). */
  const ingestCalls: RecordedIngestCall[] = [];
  const ingestScript = new Map<string, string>();
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => resolve(body));
    });
  const headersOf = (req: IncomingMessage) =>
    Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(', ') : value,
      ]),
    );
  /** Every call to `evaluate_fleet_automation`, and what each prefix answers (default: none, off). */
  const evaluateCalls: RecordedEvaluateCall[] = [];
  const evaluateScript = new Map<string, ScriptedEvaluation>();
  /** Every call to `record_fleet_alert` (the alert feed), by prefix. */
  const alertCalls: RecordedEvaluateCall[] = [];
  /** Every POST to a recording webhook `/__webhook/{id}`, and the statuses each id answers in turn. */
  const webhookCalls: RecordedWebhookCall[] = [];
  const webhookScript = new Map<string, number[]>();
  /** The alert stand-ins: a scriptable `evaluate_fleet_automation` and a recording webhook receiver. */
  const serveAutomation = (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const script = /^\/__(evaluate|webhook)-script\/([a-z0-9-]+)$/.exec(url.pathname);
    if (script !== null && req.method === 'PUT') {
      void readBody(req).then((text) => {
        if (script[1] === 'evaluate') evaluateScript.set(script[2] ?? '', JSON.parse(text));
        else webhookScript.set(script[2] ?? '', JSON.parse(text));
        res.writeHead(204);
        res.end();
      });
      return true;
    }
    const calls = /^\/__(evaluate|webhook|alert)-calls\/([a-z0-9-]+)$/.exec(url.pathname);
    if (calls !== null) {
      const list: { prefix?: string; id?: string }[] =
        calls[1] === 'evaluate' ? evaluateCalls : calls[1] === 'alert' ? alertCalls : webhookCalls;
      json(
        200,
        list.filter((call) => (call.prefix ?? call.id) === calls[2]),
      );
      return true;
    }
    const evaluate = /^\/([a-z0-9-]+)\/rest\/v1\/rpc\/evaluate_fleet_automation$/.exec(url.pathname);
    if (evaluate !== null && req.method === 'POST') {
      const prefix = evaluate[1] ?? '';
      void readBody(req).then((body) => {
        const keyed =
          req.headers.apikey === SUPABASE_TEST_SERVICE_ROLE_KEY &&
          req.headers.authorization === `Bearer ${SUPABASE_TEST_SERVICE_ROLE_KEY}`;
        const answer = keyed
          ? (evaluateScript.get(prefix) ?? DEFAULT_EVALUATION)
          : { status: 401, body: { message: 'no apikey' } };
        evaluateCalls.push({ prefix, status: answer.status, headers: headersOf(req), body });
        json(answer.status, answer.body);
      });
      return true;
    }
    // `record_fleet_alert`, service role only: the alert feed. Records each call; answers an id.
    const feed = /^\/([a-z0-9-]+)\/rest\/v1\/rpc\/record_fleet_alert$/.exec(url.pathname);
    if (feed !== null && req.method === 'POST') {
      const prefix = feed[1] ?? '';
      void readBody(req).then((body) => {
        const keyed =
          req.headers.apikey === SUPABASE_TEST_SERVICE_ROLE_KEY &&
          req.headers.authorization === `Bearer ${SUPABASE_TEST_SERVICE_ROLE_KEY}`;
        const status = keyed ? 200 : 401;
        alertCalls.push({ prefix, status, headers: headersOf(req), body });
        json(status, keyed ? alertCalls.length : { message: 'no apikey' });
      });
      return true;
    }
    const webhook = /^\/__webhook\/([a-z0-9-]+)$/.exec(url.pathname);
    if (webhook !== null && req.method === 'POST') {
      const id = webhook[1] ?? '';
      void readBody(req).then((body) => {
        const status = webhookScript.get(id)?.shift() ?? 200;
        webhookCalls.push({ id, status, headers: headersOf(req), body });
        json(status, { ok: status < 300 });
      });
      return true;
    }
    return false;
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://loopback');
    if (serveAutomation(req, res, url)) return;
    if (url.pathname === '/__usage-calls') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ingestCalls));
      return;
    }
    if (url.pathname.startsWith('/__usage-script/') && req.method === 'PUT') {
      void readBody(req).then((scenario) => {
        ingestScript.set(url.pathname.slice('/__usage-script/'.length), scenario);
        res.writeHead(204);
        res.end();
      });
      return;
    }
    // A stand-in for the control plane's `ingest_usage_aggregates(p_rows jsonb)`, service role only:
    // records each call (headers and payload) so tests can check what the Worker's shards sent.
    const ingest = /^\/([a-z0-9-]+)\/rest\/v1\/rpc\/ingest_usage_aggregates$/.exec(url.pathname);
    if (ingest !== null && req.method === 'POST') {
      const prefix = ingest[1] ?? '';
      void readBody(req).then((text) => {
        const keyed =
          req.headers.apikey === SUPABASE_TEST_SERVICE_ROLE_KEY &&
          req.headers.authorization === `Bearer ${SUPABASE_TEST_SERVICE_ROLE_KEY}`;
        const scenario = ingestScript.get(prefix) ?? INGEST_SCENARIOS.ok;
        const answers: Record<string, [number, unknown]> = {
          [INGEST_SCENARIOS.ok]: [200, 1],
          [INGEST_SCENARIOS.fail]: [503, { message: 'control plane is down' }],
          [INGEST_SCENARIOS.reject]: [
            400,
            { code: '22023', message: 'invalid usage aggregates: p_rows[0].requests must be a whole number' },
          ],
          // The database committed, then the answer was lost (a 500 from a proxy on the way back).
          lost: [500, { message: 'upstream connection reset after commit' }],
        };
        // 'hang': no answer at all, until the Worker gives up (recorded with status 0).
        if (keyed && scenario === 'hang') {
          ingestCalls.push({ prefix, status: 0, headers: {}, body: JSON.parse(text) });
          return;
        }
        const [status, answer] = keyed
          ? (answers[scenario] ?? answers.ok ?? [200, 1])
          : [401, { message: 'no apikey' }];
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(', ') : value,
          ]),
        );
        ingestCalls.push({ prefix, status, headers, body });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      });
      return;
    }
    // A test's own Git files: `PUT /__git-file?path=…` publishes a body at a path of the Git host;
    // `PUT /__git-sign?path=…` publishes `{path}.sig`, the trusted test key's signature of it.
    if ((url.pathname === '/__git-file' || url.pathname === '/__git-sign') && req.method === 'PUT') {
      const path = url.searchParams.get('path') ?? '';
      void readBody(req).then(async (body) => {
        if (url.pathname === '/__git-file') git.setFile(path, body);
        else {
          const text = await (await fetch(`${git.url}${path}`)).text();
          git.setFile(`${path}.sig`, await signatureFor(text, signed.signer));
        }
        res.writeHead(204);
        res.end();
      });
      return;
    }
    if (url.pathname === '/__git-requests') {
      const path = url.searchParams.get('path');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(git.requests.filter((r) => r.path === path)));
      return;
    }
    if (url.pathname.startsWith('/__count/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(counts.get(url.pathname.slice('/__count/'.length)) ?? 0));
      return;
    }
    if (url.pathname.startsWith('/__script/') && req.method === 'PUT') {
      let scenario = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        scenario += chunk;
      });
      req.on('end', () => {
        scripted.set(url.pathname.slice('/__script/'.length), scenario);
        res.writeHead(204);
        res.end();
      });
      return;
    }
    if (url.pathname === PRIVATE_GIT_PATH) {
      const authorised = req.headers.authorization === `Bearer ${GITHUB_TEST_TOKEN}`;
      res.writeHead(authorised ? 200 : 404, { 'content-type': 'text/plain' });
      res.end(authorised ? privateRegistry : '404: Not Found');
      return;
    }
    const match = /^\/([a-z0-9-]+)\/rest\/v1\/rpc\/get_marketplace_config$/.exec(url.pathname);
    const prefix = match?.[1] ?? '';
    const scenario = scripted.get(prefix) ?? prefix;
    counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
    const keyed =
      req.headers.apikey === SUPABASE_TEST_ANON_KEY &&
      req.headers.authorization === `Bearer ${SUPABASE_TEST_ANON_KEY}`;
    if (match === null || req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"not found"}');
    } else if (!keyed) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"message":"missing apikey"}');
    } else {
      req.resume();
      req.on('end', () => {
        const answer = controlPlaneAnswer(scenario);
        const reply = () => {
          res.writeHead(answer.status, { 'content-type': answer.type });
          res.end(answer.body);
        };
        // A hanging control plane keeps the connection open until the Worker gives up on it.
        if (scenario === CONFIG_SCENARIOS.hang) return;
        if (scenario === CONFIG_SCENARIOS.slowCounted) setTimeout(reply, 300);
        else reply();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  project.provide('gitHostUrl', git.url);
  project.provide('controlPlaneUrl', `http://127.0.0.1:${port}`);
  project.provide('trustedKeys', signed.trustedKeys);
  project.provide('supabaseStandInUrl', supabase.url);
  project.provide('supabaseStandInAnonKey', supabase.anonKey);
  project.provide('supabaseStandInServiceRoleKey', supabase.serviceRoleKey);

  return async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await git.close();
    await supabase.close();
  };
}
