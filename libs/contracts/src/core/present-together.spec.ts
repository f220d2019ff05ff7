import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { IsInt, IsUUID, Min, validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';

import { MessageArchivedEvent } from '../archive/message-archived/message-archived.contract.js';
import { MessageRawLocation } from '../catalog/messages/messages.contract.js';
import { PresentWith } from './present-together.js';

class Located {
  @PresentWith('offset')
  @IsUUID()
  segmentId?: string;
  @PresentWith('segmentId')
  @IsInt()
  @Min(0)
  offset?: number;
}

const refused = <T extends object>(target: new () => T, fields: Partial<T>): string[] =>
  validateSync(Object.assign(new target(), fields)).map((error) => error.property);

describe('PresentWith', () => {
  it('accepts both fields or neither, and refuses one without the other', () => {
    expect(refused(Located, {})).toEqual([]);
    expect(refused(Located, { segmentId: randomUUID(), offset: 0 })).toEqual([]);
    expect(refused(Located, { segmentId: randomUUID() })).toEqual(['offset']);
    expect(refused(Located, { offset: 12 })).toEqual(['segmentId']);
  });

  it('holds the segment location of the archived event and of the raw-location reply together', () => {
    for (const target of [MessageArchivedEvent, MessageRawLocation] as (new () => object)[]) {
      expect(refused(target, { segmentId: randomUUID() })).toContain('segmentOffset');
      expect(refused(target, { segmentOffset: 0 })).toContain('segmentId');
      expect(refused(target, {})).not.toContain('segmentOffset');
      expect(refused(target, {})).not.toContain('segmentId');
    }
  });
});
