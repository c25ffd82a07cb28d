import { permanentRedirect } from "next/navigation";

// The change-password page lives in the settings area now; old links and bookmarks still work.
export default function OldChangePasswordPage() {
  permanentRedirect("/settings/password");
}
