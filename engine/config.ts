import os from 'node:os';
import path from 'node:path';

/** Configuration comes from the environment; everything has a working default. */
export interface Config {
  /** sqlite path or postgres URL. */
  databaseUrl: string;
  /** Optional; the job queue moves to Redis when set. */
  redisUrl: string | null;
  /** Redis key prefix of the job queue: processes sharing one Redis and one database use the same one. */
  redisPrefix: string;
  port: number;
  logLevel: string;
  /** Where uploaded files are kept. */
  filesDir: string;
  /** Connector settings are kept per environment (dev, staging, prod …). */
  environment: string;
  /** Serve the local simulators under /sim (the default settings of every connector point there). */
  simulators: boolean;
  /** Where this server is reached from outside (callbacks); default http://127.0.0.1:PORT. */
  publicUrl: string | null;
  /** Base64 of 32 bytes sealing connector secrets; absent: a key file beside the data. */
  connectorSecretKey: string | null;
  /** Working calendars (one JSON file each); default: definitions/calendars. */
  calendarsDir: string | null;
  /** SLA tables (one JSON file each); default: definitions/sla. */
  slaDir: string | null;
  /** Deploy the demo definitions on start. */
  demo: boolean;
  /** Run timers and jobs in this process. */
  worker: boolean;
  /** Deploy policy: every user task must name an assignee or candidates / a form (a process can also say so itself). */
  requireAssignee: boolean;
  requireForm: boolean;
  workerId: string;
  cacheSize: number;
  /** How long a worker holds a timer or job; a crashed worker's items are retried after it. */
  leaseMs: number;
  pollMs: number;
  /** A job's handler attempt taking longer fails (and is retried). */
  handlerTimeoutMs: number;
  /** Three-admin separation (三员管理): nobody holds two of sysadmin, secadmin, auditor, and nobody holds admin. */
  threeAdmins: boolean;
  /** Mark the session cookie Secure; default: when PUBLIC_URL is https. */
  secureCookies: boolean;
  sessionIdleMs: number;
  sessionMaxMs: number;
  loginMaxFailures: number;
  loginLockMs: number;
  /** The first administrator's password when the organisation is empty (no demo); absent: a random one, logged once. */
  adminPassword: string | null;
  /** NODE_ENV=production: no demo users, no simulators unless asked for. */
  production: boolean;
  /** Sign-in codes one client address may ask for per hour, all numbers together. */
  smsCodesPerClient: number;
  /** PEM (PKCS#8) of the Ed25519 key signing the audit anchors; absent: a key file beside the data, made on first start. */
  auditAnchorKey: string | null;
  /** Where anchors are copied outside the database (one JSON line each). */
  auditAnchorFile: string;
  auditAnchorEveryMs: number;
  /** Audit rows older than this move to the archive table. */
  auditRetentionMs: number;
  /** Uploads: per user, at most this many per minute and this many bytes not yet part of a case; unbound uploads expire. */
  uploadsPerMinute: number;
  uploadQuotaBytes: number;
  uploadTtlMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const databaseUrl = env.DATABASE_URL ?? 'sqlite:data/workflow.sqlite';
  const production = env.NODE_ENV === 'production';
  const demo = (env.DEMO ?? (production ? 'false' : 'true')) !== 'false';
  // The demo's users have a published password: they never come up in production.
  if (production && demo) throw new Error('DEMO=true is refused with NODE_ENV=production: the demo users have a published password');
  const filesDir = env.FILES_DIR ?? 'data/files';
  return {
    databaseUrl,
    redisUrl: env.REDIS_URL || null,
    redisPrefix: env.REDIS_PREFIX || 'wf',
    port,
    logLevel: env.LOG_LEVEL ?? 'info',
    filesDir,
    environment: env.ENVIRONMENT ?? 'default',
    simulators: (env.SIMULATORS ?? (production ? 'false' : 'true')) !== 'false',
    publicUrl: env.PUBLIC_URL?.replace(/\/$/, '') || null,
    connectorSecretKey: env.CONNECTOR_SECRET_KEY || null,
    calendarsDir: env.CALENDARS_DIR || null,
    slaDir: env.SLA_DIR || null,
    demo,
    worker: (env.WORKER ?? 'true') !== 'false',
    requireAssignee: env.REQUIRE_ASSIGNEE === 'true',
    requireForm: env.REQUIRE_FORM === 'true',
    workerId: env.WORKER_ID ?? `${os.hostname()}:${process.pid}`,
    cacheSize: count(env, 'ENGINE_CACHE_SIZE', 32, 0),
    leaseMs: count(env, 'SCHEDULER_LEASE_MS', 5 * 60_000, 100),
    pollMs: count(env, 'SCHEDULER_POLL_MS', 1000, 10),
    handlerTimeoutMs: count(env, 'HANDLER_TIMEOUT_MS', 60_000, 100),
    threeAdmins: env.THREE_ADMINS === 'true',
    secureCookies: env.SECURE_COOKIES ? env.SECURE_COOKIES === 'true' : (env.PUBLIC_URL ?? '').startsWith('https:'),
    sessionIdleMs: count(env, 'SESSION_IDLE_MINUTES', 120, 1) * 60_000,
    sessionMaxMs: count(env, 'SESSION_MAX_HOURS', 12, 1) * 3600_000,
    loginMaxFailures: count(env, 'LOGIN_MAX_FAILURES', 5, 1),
    loginLockMs: count(env, 'LOGIN_LOCK_MINUTES', 15, 1) * 60_000,
    adminPassword: env.ADMIN_PASSWORD || null,
    production,
    smsCodesPerClient: count(env, 'SMS_CODES_PER_CLIENT', 5, 1),
    auditAnchorKey: env.AUDIT_ANCHOR_KEY || null,
    auditAnchorFile: env.AUDIT_ANCHOR_FILE || path.join(path.dirname(path.resolve(filesDir)), 'audit-anchors.jsonl'),
    auditAnchorEveryMs: count(env, 'AUDIT_ANCHOR_HOURS', 24, 1) * 3600_000,
    auditRetentionMs: count(env, 'AUDIT_RETENTION_DAYS', 365, 1) * 24 * 3600_000,
    uploadsPerMinute: count(env, 'UPLOADS_PER_MINUTE', 30, 1),
    uploadQuotaBytes: count(env, 'UPLOAD_QUOTA_MB', 200, 1) * 1024 * 1024,
    uploadTtlMs: count(env, 'UPLOAD_TTL_HOURS', 24, 1) * 3600_000,
  };
}

/** A whole number of at least `min`; anything else stops the start with a message naming the variable. */
function count(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, got ${text}`);
  return n;
}
