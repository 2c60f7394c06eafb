import { expect, test } from 'vitest';
import { STATUSES as RENDERER_STATUSES } from '../../renderer/app/statuses';
import { STATUSES } from '../../shared/model';

test('the renderer status list matches the model, in order', () => {
  expect(RENDERER_STATUSES).toEqual([...STATUSES]);
});
