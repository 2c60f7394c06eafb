// Fails a test in which any checked message (protocol-check.ts) did not match its schema.
import { afterEach } from 'vitest';
import { takeViolation } from './protocol-check';

afterEach(() => {
  const violation = takeViolation();
  if (violation) throw new Error(violation);
});
