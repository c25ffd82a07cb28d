"use client";
// Modal dialogs on Radix (focus trapped and restored, Escape closes, the rest of the page inert).
// `ConfirmDialog` asks before something that cannot be taken back.
import * as AlertDialog from "@radix-ui/react-alert-dialog";
import * as DialogPrimitive from "@radix-ui/react-dialog";
import { X } from "lucide-react";
import { useRef, useState, type ComponentProps, type ReactNode } from "react";
import { Button, buttonVariants } from "./button";
import { cn } from "./cn";

const overlayClasses = "fixed inset-0 z-50 bg-black/60";
const contentClasses =
  "fixed left-1/2 top-1/2 z-50 grid w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 gap-4 rounded-lg border border-border bg-card p-6 text-foreground shadow-lg";

export const Dialog = DialogPrimitive.Root;

export function DialogContent({ className, children, ...props }: ComponentProps<typeof DialogPrimitive.Content>) {
  return (
    <DialogPrimitive.Portal>
      <DialogPrimitive.Overlay className={overlayClasses} />
      <DialogPrimitive.Content className={cn(contentClasses, className)} {...props}>
        {children}
        <DialogPrimitive.Close
          className="absolute right-1 top-1 flex size-11 cursor-pointer items-center justify-center rounded-md text-muted-foreground hover:text-foreground"
          aria-label="Close"
        >
          <X aria-hidden className="size-4" />
        </DialogPrimitive.Close>
      </DialogPrimitive.Content>
    </DialogPrimitive.Portal>
  );
}

export function DialogTitle({ className, ...props }: ComponentProps<typeof DialogPrimitive.Title>) {
  return <DialogPrimitive.Title className={cn("m-0 text-lg font-semibold", className)} {...props} />;
}

export function DialogDescription({ className, ...props }: ComponentProps<typeof DialogPrimitive.Description>) {
  return <DialogPrimitive.Description className={cn("m-0 text-sm text-muted-foreground", className)} {...props} />;
}

interface ConfirmDialogProps {
  /** The element that opens the dialog (rendered as the trigger, e.g. a Button). */
  trigger?: ReactNode;
  /** Controlled use (e.g. opened from a menu item): pass open + onOpenChange instead of a trigger. */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  /** Shown on the confirm button while `onConfirm` runs. */
  pendingLabel?: string;
  cancelLabel?: string;
  destructive?: boolean;
  /** Runs on confirm; the dialog stays open (buttons disabled) until it settles. Return false to keep it open. */
  onConfirm: () => Promise<boolean | void> | boolean | void;
  /**
   * Where focus goes after a confirmed action closed the dialog, when the trigger is gone (e.g. the
   * deleted item's button). Returning null keeps Radix's default: back to the trigger.
   */
  focusAfterConfirm?: () => HTMLElement | null;
}

/** The dialog's open state (own or controlled), the confirm that runs `onConfirm`, and where focus goes after it. */
function useConfirm({ open, onOpenChange, onConfirm, focusAfterConfirm }: Pick<ConfirmDialogProps, "open" | "onOpenChange" | "onConfirm" | "focusAfterConfirm">) {
  const [ownOpen, setOwnOpen] = useState(false);
  const confirmed = useRef(false);
  const [pending, setPending] = useState(false);
  const isOpen = open ?? ownOpen;
  const setOpen = (next: boolean) => {
    if (pending) return;
    setOwnOpen(next);
    onOpenChange?.(next);
  };
  async function confirm() {
    setPending(true);
    try {
      const keep = (await onConfirm()) === false;
      if (!keep) {
        confirmed.current = true;
        setOwnOpen(false);
        onOpenChange?.(false);
      }
    } finally {
      setPending(false);
    }
  }
  const onCloseAutoFocus = (event: Event) => {
    const target = confirmed.current ? focusAfterConfirm?.() : null;
    confirmed.current = false;
    if (target) {
      event.preventDefault();
      target.focus();
    }
  };
  return { isOpen, setOpen, pending, confirm, onCloseAutoFocus };
}

/** "Are you sure?" with Cancel focused first, so Enter never destroys anything by accident. */
export function ConfirmDialog({ trigger, open, onOpenChange, title, description, confirmLabel, pendingLabel, cancelLabel = "Cancel", destructive = true, onConfirm, focusAfterConfirm }: ConfirmDialogProps) {
  const { isOpen, setOpen, pending, confirm, onCloseAutoFocus } = useConfirm({ open, onOpenChange, onConfirm, focusAfterConfirm });
  return (
    <AlertDialog.Root open={isOpen} onOpenChange={setOpen}>
      {trigger ? <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger> : null}
      <AlertDialog.Portal>
        <AlertDialog.Overlay className={overlayClasses} />
        <AlertDialog.Content className={contentClasses} onCloseAutoFocus={onCloseAutoFocus}>
          <AlertDialog.Title className="m-0 text-lg font-semibold">{title}</AlertDialog.Title>
          <AlertDialog.Description className="m-0 text-sm text-muted-foreground">{description}</AlertDialog.Description>
          <div className="flex flex-wrap justify-end gap-2">
            <AlertDialog.Cancel className={buttonVariants({ variant: "outline" })} disabled={pending}>
              {cancelLabel}
            </AlertDialog.Cancel>
            <Button
              variant={destructive ? "destructive" : "default"}
              disabled={pending}
              aria-busy={pending}
              onClick={(e) => {
                e.preventDefault();
                void confirm();
              }}
            >
              {pending && pendingLabel ? pendingLabel : confirmLabel}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
