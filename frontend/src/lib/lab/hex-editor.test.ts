import { describe, expect, it } from 'vitest';
import { changedLines, editorText, type EditorNode } from './hex-editor';

// Minimal nodes shaped like the DOM the editing commands leave behind.
const text = (value: string): EditorNode => ({ nodeType: 3, nodeName: '#text', nodeValue: value, childNodes: [] });
const el = (name: string, ...children: EditorNode[]): EditorNode => ({ nodeType: 1, nodeName: name, nodeValue: null, childNodes: children });
const br = () => el('BR');
const root = (...children: EditorNode[]) => el('DIV', ...children);

describe('editorText', () => {
  it('reads one line per line element', () => {
    expect(editorText(root(el('DIV', text('08 00 f7 cd')), el('DIV', text('00 0d 00 25'))))).toBe('08 00 f7 cd\n00 0d 00 25');
  });

  it('keeps an empty line (its placeholder <br> adds nothing)', () => {
    expect(editorText(root(el('DIV', text('08 00')), el('DIV', br()), el('DIV', text('f7 cd'))))).toBe('08 00\n\nf7 cd');
    expect(editorText(root(el('DIV', text('08 00'), br())))).toBe('08 00');
  });

  it('splits a line at a <br> an editing command put inside it', () => {
    expect(editorText(root(el('DIV', text('08 00'), br(), text('f7 cd'))))).toBe('08 00\nf7 cd');
  });

  it('reads text typed straight into the editor, and inline elements a paste left', () => {
    expect(editorText(root(text('08 00 '), el('SPAN', text('f7 cd'))))).toBe('08 00 f7 cd');
    expect(editorText(root(text('08 00'), el('DIV', text('f7 cd'))))).toBe('08 00\nf7 cd');
  });

  it('never runs two lines together (digits of different lines stay apart)', () => {
    expect(editorText(root(el('DIV', text('0')), el('DIV', text('8'))))).not.toContain('08');
  });

  it('reads an empty editor as no text', () => {
    expect(editorText(root())).toBe('');
    expect(editorText(root(br()))).toBe('');
  });
});

describe('changedLines', () => {
  it('names the lines that differ', () => {
    expect(changedLines(['a', 'b', 'c'], ['a', 'x', 'c'])).toEqual([1]);
    expect(changedLines(['a'], ['a'])).toEqual([]);
  });

  it('asks for a whole rewrite when the number of lines changes', () => {
    expect(changedLines(['a', 'b'], ['a'])).toBeUndefined();
  });
});
