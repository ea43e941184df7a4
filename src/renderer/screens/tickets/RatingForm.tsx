import { useState, type FormEvent, type ReactElement } from 'react';
import { RATING_COMMENT_MAX } from '../../../shared/ticket-fields';

const WORDS = ['', 'Very poor', 'Poor', 'OK', 'Good', 'Excellent'];

/** 1–5 stars (radio buttons, so arrow keys work) and an optional comment. */
export function RatingForm({
  onRate,
}: {
  onRate: (satisfaction: number, comment: string | null) => Promise<string | null>;
}): ReactElement {
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (stars === 0) return setError('Choose from 1 to 5 stars.');
    setBusy(true);
    const failure = await onRate(stars, comment.trim() || null);
    setBusy(false);
    setError(failure);
  }

  return (
    <form className="card stack rating" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset className="field">
        <legend>How did we do?</legend>
        <div className="stars">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className={`star${n <= stars ? ' lit' : ''}`}>
              <input type="radio" name="stars" value={n} checked={stars === n} onChange={() => setStars(n)} />
              <span aria-hidden="true">★</span>
              <span className="visually-hidden">
                {n} {n === 1 ? 'star' : 'stars'}, {WORDS[n]}
              </span>
            </label>
          ))}
          <span className="muted small stars-word">{WORDS[stars]}</span>
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor="rating-comment">
          Comment <span className="muted">(optional)</span>
        </label>
        <textarea
          id="rating-comment"
          rows={2}
          maxLength={RATING_COMMENT_MAX}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div>
        <button type="submit" className="button button-primary" disabled={busy}>
          Send rating
        </button>
      </div>
    </form>
  );
}
