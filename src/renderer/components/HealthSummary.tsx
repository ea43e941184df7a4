import type { ReactElement } from 'react';
import type { AgentState } from '../../shared/ipc/contract';
import { Icon, type IconName } from './Icon';
import type { Tone } from './Status';
import { Time } from './Time';

type Health = NonNullable<AgentState['health']>;

const LOOK: Record<Health['status'], { tone: Tone; icon: IconName; title: string }> = {
  healthy: { tone: 'ok', icon: 'ok', title: 'Your computer looks healthy' },
  warning: { tone: 'warning', icon: 'warning', title: 'Something is worth a look' },
  critical: { tone: 'critical', icon: 'critical', title: 'Your computer needs attention' },
  unknown: { tone: 'neutral', icon: 'info', title: 'Health not known yet' },
};

/** The health status from the last check, as a coloured summary with its time. */
export function HealthSummary({
  health,
  onCheck,
}: {
  health: AgentState['health'];
  onCheck?: () => void;
}): ReactElement {
  const look = LOOK[health?.status ?? 'unknown'];
  const count = health?.findings.length ?? 0;
  const notes = health?.status === 'healthy' && count > 0;
  return (
    <div className={`health health-${look.tone}`} data-testid="health-summary">
      <span className="health-icon">
        <Icon name={look.icon} size={24} />
      </span>
      <div className="health-text">
        <strong className="health-title">{health ? look.title : 'Not checked yet'}</strong>
        <span className="health-detail">
          {health ? (
            <>
              {count === 0
                ? 'No problems found'
                : notes
                  ? `Nothing to fix, ${count} ${count === 1 ? 'note' : 'notes'}`
                  : `${count} ${count === 1 ? 'thing' : 'things'} found`}{' '}
              · <Time iso={health.checkedAt} prefix="checked" />
            </>
          ) : (
            'Run a check to see how your computer is doing.'
          )}
        </span>
      </div>
      {onCheck && (
        <button type="button" className="button button-small" onClick={onCheck}>
          {health ? 'See details' : 'Check now'}
        </button>
      )}
    </div>
  );
}
