/**
 * The chat view's header: the conversation's model and how it reasons (a reasoning-effort picker
 * on models that take one, e.g. K3; "always thinks" on K2.7 Code; the Thinking/Instant switch in
 * the composer on K2.6), and, when `moonpilot.chat.model` names another model, the offer to
 * switch this chat to it (the host asks first: a switch re-sends the conversation uncached).
 */
import type { ReasoningEffort } from '../../core/kimi/kimiTypes';
import type { SessionView } from '../../core/chat/protocol';
import { el, icon } from './dom';

export interface ModelHeaderActions {
  setEffort(effort: ReasoningEffort): void;
  switchModel(): void;
}

const EFFORT_TITLES: Readonly<Record<ReasoningEffort, string>> = {
  low: 'Low: shortest reasoning, fastest and cheapest',
  high: 'High: good reasoning at a moderate cost',
  max: 'Max: longest reasoning, highest cost',
};

export class ModelHeader {
  readonly root: HTMLElement;
  private readonly name: HTMLElement;
  private readonly mode: HTMLElement;
  private readonly effort: HTMLSelectElement;
  private readonly switchButton: HTMLButtonElement;
  private levels = '';

  constructor(private readonly actions: ModelHeaderActions) {
    this.name = el('span', { className: 'model-name' });
    this.mode = el('span', { className: 'model-mode' });
    this.effort = el('select', { className: 'effort', title: 'Reasoning effort of this chat' });
    this.effort.setAttribute('aria-label', 'Reasoning effort');
    this.effort.addEventListener('change', () => this.actions.setEffort(this.effort.value as ReasoningEffort));
    this.switchButton = el('button', { className: 'switch-model secondary' });
    this.switchButton.type = 'button';
    this.switchButton.addEventListener('click', () => this.actions.switchModel());
    this.root = el('header', { className: 'model-header' }, [icon('hubot'), this.name, this.mode, this.effort, el('span', { className: 'spacer' }), this.switchButton]);
  }

  setSession(s: SessionView): void {
    this.name.textContent = s.modelLabel;
    this.name.title = s.priced ? s.model : `${s.model}: no known price (costs show $0; set moonpilot.prices)`;
    const r = s.reasoning;
    this.effort.hidden = r.kind !== 'effort';
    this.mode.textContent = r.kind === 'effort' ? 'effort' : r.kind === 'always' ? '· always thinks' : r.kind === 'none' ? '· no reasoning' : '';
    if (r.kind === 'effort') {
      const levels = r.levels.join(',');
      if (levels !== this.levels) {
        this.levels = levels;
        this.effort.replaceChildren(...r.levels.map((level) => Object.assign(el('option', { text: level, title: EFFORT_TITLES[level] }), { value: level })));
      }
      this.effort.value = r.effort;
      this.effort.disabled = s.busy;
    }
    this.switchButton.hidden = s.configuredModel === undefined;
    if (s.configuredModel !== undefined) {
      this.switchButton.textContent = `Switch to ${s.configuredModel}`;
      this.switchButton.title = `Settings name ${s.configuredModel}; this chat keeps ${s.model} until you switch (a switch re-sends the conversation uncached).`;
      this.switchButton.disabled = s.busy;
    }
  }
}
