import type { ReactElement } from 'react';
import { FINDING_CODES, type FindingCode } from '../../../shared/finding-codes';

/** Multi-select of the health findings an article fixes, as labelled check boxes. */
export function FindingCodesPicker({
  value,
  onChange,
}: {
  value: FindingCode[];
  onChange(next: FindingCode[]): void;
}): ReactElement {
  return (
    <fieldset className="admin-fieldset">
      <legend>Fixes these findings ({value.length} selected)</legend>
      <div className="admin-codes">
        {FINDING_CODES.map((code) => (
          <label key={code} className="admin-check">
            <input
              type="checkbox"
              checked={value.includes(code)}
              onChange={(e) => onChange(e.target.checked ? [...value, code] : value.filter((c) => c !== code))}
            />
            <code>{code}</code>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
