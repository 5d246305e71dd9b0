# Conversions that fail: numpy() on a grad tensor, item() on many values, `if tensor:`,
# torch.tensor(list of tensors), numpy object arrays. Error first, then the usual fix.
import numpy as np
import torch


def show(title, fn):
    try:
        print(title, "->", fn())
    except Exception as e:
        print(title, "->", type(e).__name__ + ":", e)


w = torch.tensor([0.5, -1.5, 2.0], requires_grad=True)
out = w * 3
show("numpy() leaf", lambda: w.numpy())
show("numpy() non-leaf", lambda: out.numpy())
show("detach().numpy()", lambda: out.detach().numpy())
show("np.array(tensor)", lambda: np.array(out))
show("cpu().detach().numpy().tolist()", lambda: w.cpu().detach().numpy().tolist())

show("item() on 3 values", lambda: out.item())
show("float() on 3 values", lambda: float(out))
show("int() on 2x2", lambda: int(torch.ones(2, 2)))
show("item() on 1 value", lambda: out.sum().item())
show("item() on [[x]]", lambda: torch.tensor([[4]]).item())
show("float on empty", lambda: float(torch.tensor([])))

show("if tensor", lambda: "yes" if out > 0 else "no")
show("and", lambda: (out > 0) and (out < 5))
show("while", lambda: [i for i in range(1) if torch.tensor([1, 1]) == torch.tensor([1, 1])])
show("any()", lambda: "yes" if (out > 0).any() else "no")
show("all()", lambda: bool((out > -5).all()))
show("torch.equal", lambda: torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2])))
show("bool on one", lambda: bool(torch.tensor([0.0])))
show("bool on empty", lambda: bool(torch.tensor([])))

pieces = [torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])]
show("torch.tensor(list of tensors)", lambda: torch.tensor(pieces))
show("torch.tensor(list of scalars)", lambda: torch.tensor([torch.tensor(1.5), torch.tensor(2.5)]))
show("torch.stack", lambda: torch.stack(pieces))
show("torch.tensor(list of arrays)", lambda: torch.tensor([np.array([1, 2]), np.array([3, 4])]))
show("ragged list", lambda: torch.tensor([[1, 2], [3]]))
show("strings", lambda: torch.tensor(["a", "b"]))

obj = np.array([np.array([1, 2]), np.array([3])], dtype=object)
for title, fn in [("from_numpy(object)", lambda: torch.from_numpy(obj)),
                  ("tensor(object array)", lambda: torch.tensor(np.array([1, 2], dtype=object)))]:
    try:
        fn()
    except TypeError as e:
        # the first sentence names the mistake; the list of supported types that follows is
        # the library's own (it differs between builds)
        print(title, "->", type(e).__name__ + ":", str(e).split(". ")[0])
show("None inside", lambda: torch.tensor([1.0, None]))
show("np.float64 scalars", lambda: torch.tensor([np.float64(1.5), 2]).dtype)
show("int32 arrays", lambda: torch.tensor([np.array([1, 2], dtype=np.int32)] * 2).dtype)
show("float64 tensor + int", lambda: torch.tensor([torch.tensor(1.0, dtype=torch.float64), 2]))
show("shape-(1,) tensors", lambda: torch.tensor([torch.tensor([1.0]), torch.tensor([2.0])]))
show("from_numpy(float16)", lambda: torch.from_numpy(np.array([1.5, 2.5], dtype=np.float16)))
show("from_numpy(list)", lambda: torch.from_numpy([1, 2]))
show("as_tensor(list)", lambda: torch.as_tensor([1, 2]).dtype)
show("tensor + ndarray", lambda: torch.tensor([1.0, 2.0]) + np.array([1.0, 1.0]))
