// The error that belongs to a whole form (not one field), announced as an alert.
export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p className="banner" role="alert">
      {message}
    </p>
  );
}
