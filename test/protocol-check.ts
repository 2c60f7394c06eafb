// Every message the engine and the transports produce in the integration and contract tests is
// checked against its schema in shared/protocol.ts as it arrives. The first one that does not
// match is kept and fails the test that saw it (protocol-check-setup.ts, after each test), so a
// payload that drifts from its schema cannot pass unnoticed.
import type { z } from 'zod';
import {
  EngineEventSchema,
  HelloSchema,
  LogMessageSchema,
  RequestErrorSchema,
  RequestSchemas,
  isRequestName,
} from '../shared/protocol';
import { HeartbeatSchema } from '../shared/model';

let firstViolation: string | null = null;

function check(schema: z.ZodType, value: unknown, what: string): void {
  if (firstViolation !== null) return;
  const result = schema.safeParse(value);
  if (result.success) return;
  const issue = result.error.issues[0];
  firstViolation = `${what} does not match its schema at ${issue?.path.join('.') || '(root)'}: ${issue?.message}\n${JSON.stringify(value).slice(0, 500)}`;
}

export const checkEvents = (batch: unknown, where: string): void => {
  if (!Array.isArray(batch)) return check(EngineEventSchema.array(), batch, `an events batch from ${where}`);
  for (const event of batch) check(EngineEventSchema, event, `an event from ${where}`);
};
export const checkHello = (hello: unknown, where: string): void => check(HelloSchema, hello, `a hello from ${where}`);
export const checkLog = (msg: unknown, where: string): void => check(LogMessageSchema, msg, `a log message from ${where}`);
export const checkHeartbeat = (beat: unknown, where: string): void => check(HeartbeatSchema, beat, `a heartbeat from ${where}`);
export const checkRequestError = (err: unknown, where: string): void => check(RequestErrorSchema, err, `a request error from ${where}`);

/** A reply to `name`: a RequestError, or the request's result schema. */
export function checkReply(name: string, reply: unknown, where: string): void {
  const r = reply as { ok?: unknown; data?: unknown; error?: unknown };
  if (r?.ok === false) return checkRequestError(r.error, where);
  if (r?.ok !== true) return check(RequestErrorSchema, reply, `a reply to ${name} from ${where}`);
  if (isRequestName(name)) check(RequestSchemas[name].result, r.data, `a reply to ${name} from ${where}`);
}

/** The first violation since the last call, and forget it. */
export function takeViolation(): string | null {
  const violation = firstViolation;
  firstViolation = null;
  return violation;
}
