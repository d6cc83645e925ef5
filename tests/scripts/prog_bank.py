# A small program: accounts with inheritance, exceptions for invalid operations, a transaction log.
class InsufficientFunds(Exception):
    def __init__(self, needed, available):
        super().__init__("need " + str(needed) + ", have " + str(available))
        self.needed = needed
class Account:
    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance
        self.log = []
    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        self.balance += amount
        self.log.append(("deposit", amount))
    def withdraw(self, amount):
        if amount > self.balance:
            raise InsufficientFunds(amount, self.balance)
        self.balance -= amount
        self.log.append(("withdraw", amount))
    def __repr__(self):
        return f"{type(self).__name__}({self.owner!r}, {self.balance})"
class Savings(Account):
    def __init__(self, owner, balance=0, rate=0.02):
        super().__init__(owner, balance)
        self.rate = rate
    def add_interest(self):
        interest = round(self.balance * self.rate)
        self.deposit(interest)
        return interest
accounts = [Account("ann", 100), Savings("bob", 1000, 0.05), Account("cid")]
ops = [(0, "withdraw", 30), (1, "deposit", 200), (2, "withdraw", 5), (0, "deposit", -1),
       (1, "withdraw", 2000), (2, "deposit", 50), (0, "withdraw", 70)]
for idx, op, amt in ops:
    acct = accounts[idx]
    try:
        if op == "deposit":
            acct.deposit(amt)
        else:
            acct.withdraw(amt)
        print("ok", op, amt, acct)
    except InsufficientFunds as e:
        print("refused:", e, e.needed)
    except ValueError as e:
        print("invalid:", e)
print(accounts[1].add_interest(), accounts)
print([a.log for a in accounts])
print(sum([a.balance for a in accounts]), max(accounts, key=lambda a: a.balance).owner)
