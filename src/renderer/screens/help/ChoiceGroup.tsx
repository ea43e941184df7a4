import type { ReactElement } from 'react';

/** A labelled group of radio buttons drawn as segmented choices (arrow keys move between them). */
export function ChoiceGroup<T extends string>({
  name,
  legend,
  choices,
  value,
  onChange,
}: {
  name: string;
  legend: string;
  choices: { value: T; label: string; hint: string }[];
  value: T;
  onChange: (value: T) => void;
}): ReactElement {
  return (
    <fieldset className="field choice-group">
      <legend>{legend}</legend>
      <div className="choices">
        {choices.map((choice) => (
          <label key={choice.value} className={`choice${choice.value === value ? ' selected' : ''}`}>
            <input
              type="radio"
              name={name}
              value={choice.value}
              checked={choice.value === value}
              onChange={() => onChange(choice.value)}
            />
            <span className="choice-label">{choice.label}</span>
            {choice.hint && <span className="choice-hint">{choice.hint}</span>}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
