import { formatList } from '../format';
import type { HealthRule } from './rule';
import { clip } from './rule';

/*
 * Security posture rules. They fire only on a definite "off" (false), never on null: many
 * systems give no way to know, and unknown is not unhealthy.
 */

/** The firewall is known to be turned off. */
export const firewallOff: HealthRule<'security.firewall_off'> = {
  code: 'security.firewall_off',
  title: 'Your firewall is turned off',
  articleTags: ['firewall', 'security'],
  evaluate(snapshot) {
    const firewall = snapshot.sections.security?.firewall;
    if (firewall?.enabled !== false) return [];
    const product = firewall.product ? ` (${clip(firewall.product, 80)})` : '';
    return [{ severity: 'warning', evidence: `Firewall${product} is turned off` }];
  },
};

/** The system disk is not encrypted; a lost laptop then means lost data. */
export const diskUnencrypted: HealthRule<'security.disk_unencrypted'> = {
  code: 'security.disk_unencrypted',
  title: 'Your disk is not encrypted',
  articleTags: ['encryption', 'security'],
  evaluate(snapshot) {
    const encryption = snapshot.sections.security?.diskEncryption;
    if (encryption?.enabled !== false) return [];
    // A desktop stays in the office; a laptop gets left on trains. Unknown type is not a laptop.
    const type = snapshot.sections.device?.type;
    const laptop = type === 'laptop';
    return [
      {
        severity: laptop ? 'warning' : 'info',
        evidence: `Disk encryption is off${type && type !== 'unknown' ? ` on this ${type.replace('-', ' ')}` : ''}`,
      },
    ];
  },
};

/** Antivirus installed but disabled or with stale definitions. */
export const antivirusOff: HealthRule<'security.antivirus_off'> = {
  code: 'security.antivirus_off',
  title: 'Your antivirus is not protecting you',
  articleTags: ['antivirus', 'security'],
  evaluate(snapshot) {
    const products = snapshot.sections.security?.antivirus ?? [];
    const problems = products.flatMap((av) => {
      const name = clip(av.name, 80);
      if (av.enabled === false) return [`${name} is turned off`];
      if (av.upToDate === false) return [`${name} is out of date`];
      return [];
    });
    if (problems.length === 0) return [];
    return [{ severity: 'warning', evidence: formatList(problems, 4) }];
  },
};
