export default function DashboardLoading() {
  return (
    <p className="muted" role="status" aria-live="polite">
      Loading your dashboard…
    </p>
  );
}
