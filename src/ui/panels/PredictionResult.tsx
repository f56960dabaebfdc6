/** One prediction as both Predict forms show it: the label, latency, class probabilities and warnings. */
export interface PredictionShown {
  prediction: string | number;
  probabilities?: Record<string, number>;
  warnings?: string[];
}

export function PredictionResult({
  target,
  result,
  latency,
  testId,
  valueTestId,
}: {
  target: string;
  result: PredictionShown;
  /** Already worded, e.g. "3.2 ms" or "3.2 ms round trip". */
  latency: string;
  testId: string;
  valueTestId?: string;
}) {
  return (
    <div data-testid={testId}>
      <p>
        {target}: <b data-testid={valueTestId}>{String(result.prediction)}</b> <span className="muted">({latency})</span>
      </p>
      {result.probabilities && (
        <table>
          <tbody>
            {Object.entries(result.probabilities)
              .sort((a, b) => b[1] - a[1])
              .map(([label, p]) => (
                <tr key={label}>
                  <td>{label}</td>
                  <td className="num">{(p * 100).toFixed(1)}%</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      {result.warnings?.map((w) => (
        <p key={w} className="warning-text">
          {w}
        </p>
      ))}
    </div>
  );
}
