import { describe, expect, it } from 'vitest';
import { TaskList, type Linked } from './task-list';

interface Item extends Linked {
  name: string;
}
const item = (name: string): Item => ({ name, _prevLive: null, _nextLive: null });
const names = (list: TaskList<Item>): string[] => [...list].map((t) => t.name);

describe('TaskList (the loop\'s live tasks, as asyncio\'s all_tasks sees them)', () => {
  it('keeps creation order and counts', () => {
    const list = new TaskList<Item>();
    const [a, b, c] = [item('a'), item('b'), item('c')];
    list.add(a);
    list.add(b);
    list.add(c);
    expect(names(list)).toEqual(['a', 'b', 'c']);
    expect(list.size).toBe(3);
  });

  it('removes from the head, the middle and the tail, and ignores what is not in it', () => {
    const list = new TaskList<Item>();
    const items = ['a', 'b', 'c', 'd'].map(item);
    items.forEach((t) => list.add(t));
    list.delete(items[1]);
    expect(names(list)).toEqual(['a', 'c', 'd']);
    list.delete(items[0]);
    expect(names(list)).toEqual(['c', 'd']);
    list.delete(items[3]);
    expect(names(list)).toEqual(['c']);
    list.delete(items[3]); // removed already
    list.delete(item('never added'));
    expect(list.size).toBe(1);
    list.delete(items[2]);
    expect(names(list)).toEqual([]);
    expect(list.size).toBe(0);
    list.add(items[1]);
    expect(names(list)).toEqual(['b']);
  });

  it('lets the caller remove the task it is given while iterating', () => {
    const list = new TaskList<Item>();
    ['a', 'b', 'c'].map(item).forEach((t) => list.add(t));
    const seen: string[] = [];
    for (const t of list) {
      seen.push(t.name);
      list.delete(t);
    }
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(list.size).toBe(0);
  });
});
