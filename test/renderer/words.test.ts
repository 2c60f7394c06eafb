import { describe, expect, test } from 'vitest';
import { count, failureTitle, itemNoun, plainMessage, pluralOf, REQUEST_ACTIONS } from '../../renderer/app/words';
import { RequestSchemas } from '../../shared/protocol';

describe('words', () => {
  test('counts take the plural only when there is not exactly one', () => {
    expect(count(1, 'plan')).toBe('1 plan');
    expect(count(0, 'plan')).toBe('0 plans');
    expect(count(2, 'work order')).toBe('2 work orders');
    expect(count(3, 'story')).toBe('3 stories');
    expect(count(1, 'file with issues')).toBe('1 file with issues');
    expect(count(4, 'file with issues')).toBe('4 files with issues');
    expect(count(1200, 'plan')).toBe('1,200 plans');
    expect(pluralOf('day')).toBe('days');
  });

  test('every request has words, and no request name reaches a message', () => {
    expect(Object.keys(REQUEST_ACTIONS).sort()).toEqual(Object.keys(RequestSchemas).sort());
    expect(failureTitle('project:add')).toBe('Could not add the project');
    expect(plainMessage({ code: 'forbidden', message: 'demo:start needs a token with control scope (vigil token create --scope control).' })).toBe(
      '"open the demo workspace" needs a token with control scope (vigil token create --scope control).',
    );
    expect(plainMessage({ code: 'invalid', message: 'Invalid project:add request at root: Too small: expected string to have >=1 characters' })).toBe(
      'The root was not accepted: Too small: expected string to have >=1 characters',
    );
    expect(plainMessage({ code: 'rate_limited', message: 'Too many messages: at most 20 per second (bursts of 40).' })).not.toMatch(/[a-z]+:[a-z]+/);
    expect(plainMessage({ code: 'not_found', message: 'Cannot add /x: the folder does not exist' })).toBe('Cannot add /x: the folder does not exist');
  });

  test('phases and epics are called what they are, from their id alone', () => {
    expect(itemNoun('plan', 'gsd:phase:02')).toBe('phase');
    expect(itemNoun('plan', 'bmad:epic:1')).toBe('epic');
    expect(itemNoun('plan', 'bmad:story:1-2-login')).toBe('story');
    expect(itemNoun('plan', 'gsd:quick:001')).toBe('quick task');
    expect(itemNoun('plan', 'odd-id')).toBe('plan');
    expect(itemNoun('workorder', 'WO-X-001')).toBe('work order');
    expect(itemNoun('stub', 'coderef:stub:x')).toBe('stub');
  });
});
