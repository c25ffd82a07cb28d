import type { Metadata } from "next";
import { DeleteAccountForm } from "@/components/account/delete-account-form";
import { requireSession } from "@/server/session";

export const metadata: Metadata = { title: "Danger zone · Settings" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function DangerSettingsPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).token;
  const token = Array.isArray(raw) ? raw[0] : raw;
  const { user } = await requireSession(token ? `/settings/danger?token=${encodeURIComponent(token)}` : "/settings/danger");
  return (
    <section className="grid gap-4" aria-labelledby="danger-heading">
      <h2 id="danger-heading" className="m-0 text-xl font-semibold">
        Delete your account
      </h2>
      <div className="grid gap-2 text-sm" data-testid="deletion-scope">
        <p className="m-0">Deleting your account ({user.email}) removes, for good and at once:</p>
        <ul className="m-0 grid gap-1 pl-5">
          <li>your profile: name and email address;</li>
          <li>your password;</li>
          <li>every task you created;</li>
          <li>every session: each device signed in is signed out at once.</li>
        </ul>
        <p className="m-0">It cannot be undone. We send one last email to confirm it happened.</p>
      </div>
      <DeleteAccountForm token={token} />
    </section>
  );
}
