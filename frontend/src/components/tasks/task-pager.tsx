// Previous / Next under the list, with where the user is ("Page 2 of 3 (45 tasks)"); links that
// navigate in the list's transition.
import { TransitionLink } from "../navigation/transition-link";
import { buttonVariants } from "../ui/button";

export function TaskPager({ page, lastPage, total, hrefOf }: { page: number; lastPage: number; total: number; hrefOf: (page: number) => string }) {
  if (lastPage <= 1) return null;
  return (
    <nav className="flex items-center justify-between gap-2" aria-label="Pages">
      {page > 1 ? (
        <TransitionLink className={buttonVariants({ variant: "outline", size: "sm" })} href={hrefOf(page - 1)}>
          Previous
        </TransitionLink>
      ) : (
        <span />
      )}
      <span className="text-sm text-muted-foreground" data-testid="pager-status">
        Page {page} of {lastPage} ({total} tasks)
      </span>
      {page < lastPage ? (
        <TransitionLink className={buttonVariants({ variant: "outline", size: "sm" })} href={hrefOf(page + 1)}>
          Next
        </TransitionLink>
      ) : (
        <span />
      )}
    </nav>
  );
}
